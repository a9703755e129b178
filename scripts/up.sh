#!/usr/bin/env bash
# The one command that runs the whole system on a fresh machine (npm run up):
# dependencies, Kafka and Postgres (local ones only where none is reachable), migrations, topics, build,
# then the web, worker and auditor processes in the background. Stop everything with npm run down.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh
source scripts/secrets.sh

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
# under scripts/supervise.sh, which starts a crashed one again with backoff (never one that exits 78).
for name in worker auditor web; do
  # shellcheck disable=SC2046 # the command's words are meant to be split
  start_process "$name" bash scripts/supervise.sh "$name" env NODE_ENV=production $(start_script_command "$name")
done

port=${PORT:-3000}
url="http://localhost:$port"
deadline=$((SECONDS + 60))
until curl -fs -o /dev/null "$url/api/health"; do
  if ((SECONDS >= deadline)); then
    echo "up: $url/api/health did not answer 200 within 60s; see .data/logs/web.log, worker.log and auditor.log" >&2
    curl -sS "$url/api/health" >&2 || true
    exit 1
  fi
  for name in web worker auditor; do
    process_pid "$name" >/dev/null || { echo "up: the $name process stopped for good; see .data/logs/$name.log" >&2; tail -n 20 ".data/logs/$name.log" >&2; exit 1; }
  done
  sleep 0.5
done
echo "up: ready in $((SECONDS - started_at))s at $url (logs in .data/logs, stop with: npm run down)"
echo "up: the seller signs in at $url/seller/sign-in with SELLER_PASSWORD from $secrets_file (the API's bearer token is SELLER_TOKEN there)"
