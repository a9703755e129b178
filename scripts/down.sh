#!/usr/bin/env bash
# Stops what npm run up started: web, every worker (whatever WORKER_COUNT it had), auditor, the local Kafka broker
# and the embedded PostgreSQL if this project started them, and any broker or database server the tests, the
# benchmark or the chaos run left behind. A PostgreSQL this project did not start (the machine's shared server)
# is left running.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

stop_process web
# shellcheck disable=SC2046 # one name a word
stop_workers $(worker_names)
stop_process auditor
bash scripts/kafka.sh stop
if [[ -f .data/postgres/PG_VERSION ]]; then POSTGRES_DATA_DIR=.data/postgres node --import tsx scripts/pg-server.ts stop >/dev/null; fi
source scripts/own-servers.sh
stop_all_own_servers
