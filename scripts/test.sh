#!/usr/bin/env bash
# npm test — every test: dependency audit (npm audit --omit=dev, high/critical fail unless in
# audit-allowlist.json), type-check, lint, unit and integration (vitest, against a fresh
# PostgreSQL database per run, and the database tests again on a fresh embedded PGlite),
# end-to-end (Playwright in Debian's Chromium against next build, the demo path on PGlite).
# A skipped test fails the run (scripts/summarize-tests.mjs) unless TEST_WITHOUT names its store.
# Installs what it needs first (npm packages; chromium and ffmpeg from apt when missing).
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "install"
lock_hash=$(sha1sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.streamscope-lock ] || [ "$(cat node_modules/.streamscope-lock)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.streamscope-lock
fi
npm run --silent db:generate
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from apt: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p test-results
rm -f test-results/audit.json
step "dependency audit (npm audit --omit=dev)"
node scripts/audit.mjs
step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint

step "unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json

step "end-to-end (playwright)"
bash scripts/e2e.sh

node scripts/summarize-tests.mjs
step "done"
