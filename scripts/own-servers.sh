# Sourced by scripts/test.sh, bench.sh and chaos.sh: a Kafka broker and a PostgreSQL server of their own, with
# their own ports and data folders under .data/<name>, so that they can stop and restart them freely and run
# while a development stack (9092, the machine's PostgreSQL) is up on the same machine. The machine's
# PostgreSQL is never restarted.
#   use_own_servers NAME KAFKA_PORT POSTGRES_PORT DATABASE   exports the settings every later command inherits
#   start_own_servers / stop_own_servers                     start them (idempotent) / stop them
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

use_own_servers() {
  local name=$1 kafka_port=$2 postgres_port=$3 database=$4
  export BPS_KAFKA_PORT=$kafka_port BPS_KAFKA_DATA="$root/.data/$name/kafka"
  export KAFKA_BROKERS="127.0.0.1:$kafka_port"
  export POSTGRES_EMBEDDED=true POSTGRES_DATA_DIR="$root/.data/$name/postgres"
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$postgres_port/$database"
}

start_own_servers() {
  bash "$root/scripts/kafka.sh" start
  bash "$root/scripts/postgres.sh"
}

stop_own_servers() {
  bash "$root/scripts/kafka.sh" stop || true
  (cd "$root" && node --import tsx scripts/pg-server.ts stop) || true
}

# Every own server any of the scripts may have left (npm run down and CI's last step call this).
stop_all_own_servers() {
  local folder
  for folder in "$root"/.data/*/; do
    [[ -d "$folder/kafka" ]] && BPS_KAFKA_DATA="$folder/kafka" bash "$root/scripts/kafka.sh" stop 2>/dev/null || true
    [[ -f "$folder/postgres/PG_VERSION" ]] && (cd "$root" && POSTGRES_DATA_DIR="$folder/postgres" node --import tsx scripts/pg-server.ts stop >/dev/null) || true
  done
}
