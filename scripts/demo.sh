#!/usr/bin/env bash
# npm run demo — from a clean clone to a running app with demo data: installs dependencies,
# generates the Prisma client, builds, prepares the embedded database (or DATABASE_URL's),
# seeds it and serves the app on 127.0.0.1, printing the URL and the demo admin login.
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
# Loopback only unless HOST says otherwise (HOST=0.0.0.0 to show it on the network).
export HOST="${HOST:-127.0.0.1}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:${PORT}}"
export NODE_ENV=production

npm run --silent build
# The admin password is made on the first run and kept in .data/demo-admin-password.
exec node_modules/.bin/tsx src/cli/demo.ts "$@"
