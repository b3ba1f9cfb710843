#!/usr/bin/env bash
# Dockerfile stage "runtime" (also run by scripts/docker-check.sh): production dependencies only
# (install scripts off: the Prisma client comes from the build stage), and the unprivileged user
# the server runs as, owning /data (the embedded database's volume).
set -euo pipefail
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
if [ "${STREAMSCOPE_SKIP_USER:-0}" != "1" ]; then
  groupadd --system --gid 10001 streamscope
  useradd --system --uid 10001 --gid streamscope --home-dir /app --shell /usr/sbin/nologin streamscope
  mkdir -p /data
  chown streamscope:streamscope /data
fi
