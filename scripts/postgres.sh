#!/usr/bin/env bash
# Makes sure PostgreSQL answers at the host and port of $DATABASE_URL:
# - POSTGRES_EMBEDDED=true: our own embedded server (scripts/pg-server.ts, data in $POSTGRES_DATA_DIR);
# - something answers there already: use it;
# - a local Debian cluster is configured for that port: start it;
# - otherwise, on this machine: start the embedded server, so a machine with Node, Java and Maven alone runs the system.
# (The database itself is created by scripts/migrate.ts.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

database_url=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bps}
read -r host port < <(node -e 'const u = new URL(process.argv[1]); console.log((u.hostname || "127.0.0.1") + " " + (u.port || 5432))' "$database_url")

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_embedded() {
  echo "postgres: starting the embedded PostgreSQL on 127.0.0.1:$port (data in ${POSTGRES_DATA_DIR:-.data/postgres})" >&2
  (cd "$root" && node --import tsx scripts/pg-server.ts start >/dev/null)
  port_open "$host" "$port" || { echo "postgres: the embedded server did not come up; see ${POSTGRES_DATA_DIR:-.data/postgres}/server.log" >&2; exit 1; }
}

if [[ ${POSTGRES_EMBEDDED:-false} == true ]]; then start_embedded; exit 0; fi
if port_open "$host" "$port"; then exit 0; fi

is_local=false
case "$host" in 127.*|localhost|::1|\[::1\]) is_local=true ;; esac

# Only a Debian cluster configured for this very port can help; starting another would not.
cluster=""
if $is_local && command -v pg_lsclusters >/dev/null; then
  cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$port" '$3 == port { print $1 " " $2; exit }')
fi
if [[ -n "$cluster" ]]; then
  echo "postgres: nothing listens on $host:$port; starting the local cluster ${cluster/ //}" >&2
  # shellcheck disable=SC2086 # "version name" splits into the two arguments pg_ctlcluster wants.
  pg_ctlcluster --skip-systemctl-redirect $cluster start
  for _ in $(seq 1 50); do port_open "$host" "$port" && exit 0; sleep 0.2; done
fi

if $is_local; then start_embedded; exit 0; fi
echo "postgres: nothing answers at $host:$port; start PostgreSQL there or set DATABASE_URL to a reachable server." >&2
exit 1
