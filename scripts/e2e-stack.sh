#!/usr/bin/env bash
# The stack Playwright tests run against (playwright.config.ts starts it as its web server): a worker and the
# auditor in the background and the web process in the foreground. When Playwright stops this script, they go too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_ENV=production
# Production mode on the demo secrets, on purpose (the browser tests sign in with the demo password).
export BPS_ALLOW_DEMO_SECRETS=${BPS_ALLOW_DEMO_SECRETS:-true}
# Short holds, so that a browser test sees one expire within seconds (the server appends the expiry
# limits.holdConfirmGraceMs after expiresAt): e2e/holds.spec.ts reads the same variable.
export HOLD_TTL_SECONDS=${HOLD_TTL_SECONDS:-8}
node --import tsx server/worker/main.ts &
worker=$!
node --import tsx server/audit/main.ts &
auditor=$!
trap 'kill -TERM "$worker" "$auditor" 2>/dev/null; wait "$worker" "$auditor" 2>/dev/null' EXIT
node --import tsx server/web.ts
