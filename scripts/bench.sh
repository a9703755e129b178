#!/usr/bin/env bash
# npm run bench [-- --smoke | --connections C --seconds S --profile ...]: prepares what the benchmark needs
# (wrk, its own Kafka broker and PostgreSQL server, the Prisma client, the Next build), then runs
# scripts/bench.ts on its own database (bps_bench, recreated on every run). Results: bench-results/<time>/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh
source scripts/own-servers.sh

# A broker (127.0.0.1:29092) and an embedded PostgreSQL (127.0.0.1:55433) of its own, data under .data/bench:
# a development stack on the same machine neither slows it down through shared topics nor sees its load.
use_own_servers bench "${BENCH_KAFKA_PORT:-29092}" "${BENCH_POSTGRES_PORT:-55433}" bps_bench
export NEXT_TELEMETRY_DISABLED=1
# The benchmark runs production builds on the documented demo secrets on purpose; production refuses them otherwise.
export BPS_ALLOW_DEMO_SECRETS=true
# Topics of its own: a development stack's worker on the same broker would otherwise decide the bench's purchases.
export KAFKA_TOPIC_NAMESPACE=${KAFKA_TOPIC_NAMESPACE:-bench.}

# The load client: Debian's wrk (4.1), installed like .ci/run installs Chromium.
if ! command -v wrk >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

install_dependencies
trap stop_own_servers EXIT
start_own_servers
npm run --silent db:generate
build_if_changed
node --import tsx scripts/bench.ts --kafka-libs "$(bash scripts/kafka.sh libs)" "$@"
