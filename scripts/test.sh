#!/usr/bin/env bash
# The one command that runs every test (npm test): it starts what the tests need (the project's own Kafka
# broker, PostgreSQL where none answers), prepares a separate test database, builds the app, then runs the
# unit and integration tests (vitest, real Kafka and Postgres), the browser tests (Playwright, Debian's
# Chromium) and the benchmark's smoke run (its own database; the auditor must be clean).
# A broker this script started is stopped again at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

# Tests never touch the development database, and always use the project's own broker: one test stops and
# restarts it to watch /api/health turn 503 and back.
export DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bps_test}
unset KAFKA_BROKERS
export KAFKA_WORKER_GROUP_ID=${KAFKA_WORKER_GROUP_ID:-bps-worker-test}
# Topics of their own: a development stack on the same broker neither sees the tests' events nor decides them.
export KAFKA_TOPIC_NAMESPACE=${KAFKA_TOPIC_NAMESPACE:-test.}
export NEXT_TELEMETRY_DISABLED=1

if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "test: Chromium is missing at ${CHROMIUM_PATH:-/usr/bin/chromium}; install it with: apt-get install -y chromium" >&2
  exit 1
fi

kafka_was_running=no
bash scripts/kafka.sh status >/dev/null 2>&1 && kafka_was_running=yes
stop_what_we_started() {
  if [[ $kafka_was_running == no ]]; then bash scripts/kafka.sh stop; fi
}
trap stop_what_we_started EXIT

install_dependencies
bash scripts/kafka.sh start
bash scripts/postgres.sh
npm run --silent db:generate
node --import tsx scripts/migrate.ts --reset
npm run --silent topics
build_if_changed

npx vitest run
npx playwright test
# The benchmark's smoke version: it must still run and its auditor must be clean; no timing is asserted.
DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bps_bench} KAFKA_TOPIC_NAMESPACE=bench. \
  node --import tsx scripts/bench.ts --smoke --kafka-libs "$(bash scripts/kafka.sh libs)"
