#!/usr/bin/env bash
# Stops what npm run up started: web, every worker (whatever WORKER_COUNT it had), auditor, and the local Kafka broker if this project started it.
# PostgreSQL is left running: it is the machine's shared server, not ours.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

stop_process web
# shellcheck disable=SC2046 # one name a word
stop_workers $(worker_names)
stop_process auditor
bash scripts/kafka.sh stop
