#!/usr/bin/env bash
# npm run bench [-- --smoke | --connections C --seconds S --profile ...]: prepares what the benchmark needs
# (wrk, the project's Kafka broker if none answers, PostgreSQL, the Prisma client, the Next build), then runs
# scripts/bench.ts on its own database (bps_bench, recreated on every run). Results: bench-results/<time>/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

export DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bps_bench}
export NEXT_TELEMETRY_DISABLED=1
# Topics of its own: a development stack's worker on the same broker would otherwise decide the bench's purchases.
export KAFKA_TOPIC_NAMESPACE=${KAFKA_TOPIC_NAMESPACE:-bench.}

# The load client: Debian's wrk (4.1), installed like .ci/run installs Chromium.
if ! command -v wrk >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

install_dependencies
bash scripts/kafka.sh fetch
bash scripts/kafka.sh start
bash scripts/postgres.sh
npm run --silent db:generate
build_if_changed
exec node --import tsx scripts/bench.ts --kafka-libs "$(bash scripts/kafka.sh libs)" "$@"
