#!/usr/bin/env bash
# The one command that runs the whole system on a fresh machine (npm run up):
# dependencies, Kafka and Postgres (local ones only where none is reachable), migrations, topics, build,
# then the web process, WORKER_COUNT worker processes (default 1) and the auditor in the background. Stop
# everything with npm run down.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh
source scripts/secrets.sh

# Workers share one consumer group, so Kafka splits the partitions between them; beyond KAFKA_TOPIC_PARTITIONS
# the extra ones stand by idle, taking over when another dies. Checked first, before the slow steps.
worker_count=${WORKER_COUNT:-1}
if ! [[ "$worker_count" =~ ^[1-9][0-9]?$ ]]; then
  echo "up: WORKER_COUNT must be a whole number from 1 to 99, got \"$worker_count\"" >&2
  exit 78
fi
worker_names_wanted=()
for ((index = 1; index <= worker_count; index += 1)); do worker_names_wanted+=("worker-$index"); done

started_at=$SECONDS
# The processes run in production mode, which refuses the demo secrets: real ones, made once, kept in .data/secrets.env.
load_secrets
install_dependencies
bash scripts/kafka.sh start
bash scripts/postgres.sh
npm run --silent db:generate
npm run --silent db:migrate
npm run --silent topics
build_if_changed
# Plain node on the compiled entries (npm run build wrote dist/), as the start scripts in package.json say, each
# under scripts/supervise.sh, which starts a crashed one again with backoff (never one that exits 78). Each
# process knows its name (BPS_PROCESS_NAME, in its logs and a worker's Kafka client id); each worker gets a
# metrics port of its own, 9400 for worker-1, 9401 for worker-2, and so on.
stop_workers_beyond "$worker_count"
# Where each worker's log ended before it was started, so that only a "worker ready" written since then counts
# (logs are appended to across runs); "running" for a worker that an earlier up started and that still runs.
worker_log_marks=()
for name in "${worker_names_wanted[@]}"; do
  if process_pid "$name" >/dev/null; then
    worker_log_marks+=(running)
  else
    worker_log_marks+=("$(stat -c %s "$logs_dir/$name.log" 2>/dev/null || echo 0)")
  fi
  # shellcheck disable=SC2046 # the command's words are meant to be split
  start_process "$name" bash scripts/supervise.sh "$name" \
    env NODE_ENV=production BPS_PROCESS_NAME="$name" WORKER_METRICS_PORT=$((9400 + ${name#worker-} - 1)) $(start_script_command worker)
done
for name in auditor web; do
  # shellcheck disable=SC2046 # the command's words are meant to be split
  start_process "$name" bash scripts/supervise.sh "$name" env NODE_ENV=production BPS_PROCESS_NAME="$name" $(start_script_command "$name")
done

port=${PORT:-3000}
url="http://localhost:$port"

# The names of the workers that have not yet logged "worker ready" (consumer running, partitions or not: a worker
# beyond the partition count stands by without any). That is an info line: under a quieter LOG_LEVEL only the
# workers' being alive is checked, below.
workers_not_ready() {
  local index name
  case ${LOG_LEVEL:-info} in fatal | error | warn | silent) return 0 ;; esac
  for index in "${!worker_names_wanted[@]}"; do
    name=${worker_names_wanted[$index]}
    [[ ${worker_log_marks[$index]} == running ]] && continue
    tail -c +"$((worker_log_marks[index] + 1))" "$logs_dir/$name.log" 2>/dev/null | grep -q '"msg":"worker ready"' || echo "$name"
  done
}

deadline=$((SECONDS + 60))
until curl -fs -o /dev/null "$url/api/health" && [[ -z "$(workers_not_ready)" ]]; do
  if ((SECONDS >= deadline)); then
    echo "up: not ready within 60s; see .data/logs/web.log, worker-*.log and auditor.log" >&2
    curl -sS "$url/api/health" >&2 || echo "up: $url/api/health did not answer 200" >&2
    for name in $(workers_not_ready); do echo "up: $name has not logged \"worker ready\"" >&2; done
    exit 1
  fi
  for name in web auditor "${worker_names_wanted[@]}"; do
    process_pid "$name" >/dev/null || { echo "up: the $name process stopped for good; see .data/logs/$name.log" >&2; tail -n 20 ".data/logs/$name.log" >&2; exit 1; }
  done
  sleep 0.5
done
echo "up: ready in $((SECONDS - started_at))s at $url with $worker_count worker(s) (logs in .data/logs, stop with: npm run down)"
echo "up: the seller signs in at $url/seller/sign-in with SELLER_PASSWORD from $secrets_file (the API's bearer token is SELLER_TOKEN there)"
