#!/usr/bin/env bash
# The one command that runs every test (npm test): it starts what the tests need (a Kafka broker and an
# embedded PostgreSQL of their own), prepares the test database, builds the app, then runs the
# unit and integration tests (vitest, real Kafka and Postgres), the browser tests (Playwright, Debian's
# Chromium), the benchmark's smoke run (its own database; the auditor must be clean) and the small chaos run
# (its own database and topics on the tests' servers, which it restarts; its verdict must pass).
# Both servers are stopped again at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/processes.sh

source scripts/own-servers.sh

# Tests never touch the development stack: a Kafka broker (127.0.0.1:19092) and an embedded PostgreSQL
# (127.0.0.1:55432) of their own, data under .data/test, which one test stops and restarts.
use_own_servers test "${TEST_KAFKA_PORT:-19092}" "${TEST_POSTGRES_PORT:-55432}" bps_test
export KAFKA_WORKER_GROUP_ID=${KAFKA_WORKER_GROUP_ID:-bps-worker-test}
# Topics of their own too: even on a shared broker, a development stack neither sees the tests' events nor decides them.
export KAFKA_TOPIC_NAMESPACE=${KAFKA_TOPIC_NAMESPACE:-test.}
export NEXT_TELEMETRY_DISABLED=1
# The tests run production builds on the documented demo secrets on purpose; production refuses them otherwise.
export BPS_ALLOW_DEMO_SECRETS=true

if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "test: Chromium is missing at ${CHROMIUM_PATH:-/usr/bin/chromium}; install it with: apt-get install -y chromium" >&2
  exit 1
fi

trap stop_own_servers EXIT

install_dependencies
# From nothing, as on a fresh machine: a database reset under topics kept from an earlier run would replay that
# run's records (a worker starts where Postgres says, at the log's start when it says nothing).
stop_own_servers >/dev/null 2>&1
rm -rf "$root/.data/test"
start_own_servers
npm run --silent db:generate
node --import tsx scripts/migrate.ts --reset
npm run --silent topics
build_if_changed

npx vitest run
npx playwright test
# The benchmark's smoke version: it must still run and its auditor must be clean; no timing is asserted.
DATABASE_URL=${DATABASE_URL%/*}/bps_bench KAFKA_TOPIC_NAMESPACE=bench. \
  node --import tsx scripts/bench.ts --smoke --kafka-libs "$(bash scripts/kafka.sh libs)"
# The small chaos run (npm run chaos -- --small): 3,000 purchases, 2 worker kills, a web process kill, a broker
# stop/start and a PostgreSQL restart. The tests' servers are private to this script, so it restarts them in place.
DATABASE_URL=${DATABASE_URL%/*}/bps_chaos KAFKA_TOPIC_NAMESPACE=chaos. KAFKA_WORKER_GROUP_ID=bps-worker-chaos \
  node --import tsx scripts/chaos.ts --small
