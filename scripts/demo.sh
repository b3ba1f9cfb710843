#!/usr/bin/env bash
# npm run demo — from a clean clone to a running app with demo data: installs dependencies,
# generates the Prisma client, builds, prepares the embedded database (or DATABASE_URL's),
# seeds it and serves the app, printing the URL and the demo admin login.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

npm install --no-audit --no-fund
npm run --silent db:generate

# Secrets for the demo: generated once, kept with the embedded data in .data/ (never committed).
mkdir -p .data
if [ ! -f .data/demo.env ]; then
  secret=$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')
  printf 'NEXTAUTH_SECRET=%s\nCRON_SECRET=%s\n' "$secret" "$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')" > .data/demo.env
fi
set -a
# shellcheck disable=SC1091
. .data/demo.env
set +a
export PORT="${PORT:-3000}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:${PORT}}"
export NODE_ENV=production

npm run --silent build
exec node_modules/.bin/tsx src/cli/demo.ts
