#!/usr/bin/env bash
# Stops what npm run up started: web, worker, auditor, and the local Kafka broker if this project started it.
# PostgreSQL is left running: it is the machine's shared server, not ours.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

stop_process web
stop_process worker
stop_process auditor
bash scripts/kafka.sh stop
