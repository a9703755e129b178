#!/usr/bin/env bash
# npm run bench:scaling [-- --shapes 3x1,12x1,12x4 --repeats 2 --items 240 --purchases 60000]: decisions per
# second by partitions and worker processes (docs/SCALING.md). Prepares a Kafka broker and an embedded
# PostgreSQL of its own (127.0.0.1:49092 and 55435, data under .data/scaling; stopped again on exit) and the
# compiled worker (npm run build), then runs scripts/scaling.ts. Results: bench-results/scaling-<time>/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh
source scripts/own-servers.sh

use_own_servers scaling "${SCALING_KAFKA_PORT:-49092}" "${SCALING_POSTGRES_PORT:-55435}" bps_scaling
export NEXT_TELEMETRY_DISABLED=1

install_dependencies
trap stop_own_servers EXIT
start_own_servers
npm run --silent db:generate
build_if_changed
node --import tsx scripts/scaling.ts --postgres-data "$POSTGRES_DATA_DIR" --kafka-data "$BPS_KAFKA_DATA" "$@"
