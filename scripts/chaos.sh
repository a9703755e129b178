#!/usr/bin/env bash
# npm run chaos [-- --seed N | --small | --purchases N --rate R --worker-kills K ...]: prepares what the chaos run
# needs (its own Kafka broker and PostgreSQL server, which it stops and restarts; the Prisma client; the build),
# then runs scripts/chaos.ts on its own database (bps_chaos, recreated on every run) and topics (chaos.).
# Results: chaos-results/<time>/. Both servers are stopped again at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh
source scripts/own-servers.sh

# A broker (127.0.0.1:39092) and an embedded PostgreSQL (127.0.0.1:55434) of its own, data under .data/chaos:
# the run stops and restarts them, which it must never do to a development stack's or the tests'.
use_own_servers chaos "${CHAOS_KAFKA_PORT:-39092}" "${CHAOS_POSTGRES_PORT:-55434}" bps_chaos
export NEXT_TELEMETRY_DISABLED=1
export KAFKA_TOPIC_NAMESPACE=${KAFKA_TOPIC_NAMESPACE:-chaos.}
export KAFKA_WORKER_GROUP_ID=${KAFKA_WORKER_GROUP_ID:-bps-worker-chaos}
# Its processes run in production mode on the demo secrets, which production refuses unless told.
export BPS_ALLOW_DEMO_SECRETS=true

install_dependencies
trap stop_own_servers EXIT
start_own_servers
npm run --silent db:generate
build_if_changed
node --import tsx scripts/chaos.ts "$@"
