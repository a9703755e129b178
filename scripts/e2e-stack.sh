#!/usr/bin/env bash
# The stack Playwright tests run against (playwright.config.ts starts it as its web server): a worker in the
# background and the web process in the foreground. When Playwright stops this script, the worker goes too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_ENV=production
node --import tsx server/worker/main.ts &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
node --import tsx server/web.ts
