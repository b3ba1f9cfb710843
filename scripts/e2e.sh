#!/usr/bin/env bash
# End-to-end: a fresh seeded database, next build, then Playwright against the production server.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  npx next build
fi
exec node_modules/.bin/tsx scripts/e2e.ts "$@"
