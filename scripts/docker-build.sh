#!/usr/bin/env bash
# Dockerfile stage "build" (also run by scripts/docker-check.sh): the same `npm run build` Vercel
# runs (next build, which bundles the tracker into public/streamscope.js and .mjs).
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
npm run --silent db:generate
npm run --silent build
test -s public/streamscope.js || { echo "next build made no public/streamscope.js" >&2; exit 1; }
