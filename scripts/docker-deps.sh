#!/usr/bin/env bash
# Dockerfile stage "deps" (also run by scripts/docker-check.sh): every dependency from the lock
# file; the postinstall script generates the Prisma client.
set -euo pipefail
npm ci --no-audit --no-fund
test -f src/generated/prisma/client.ts || { echo "the Prisma client was not generated at install" >&2; exit 1; }
