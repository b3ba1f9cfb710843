#!/usr/bin/env bash
# npm run docker:check — the Dockerfile's steps without Docker (base images cannot be pulled
# everywhere CI runs, this machine included): the build context as .dockerignore leaves it, each
# stage's RUN script in a directory of its own, the runtime stage's COPY --from=build lines as
# written in the Dockerfile, then its CMD started as an unprivileged user on an empty data
# directory (embedded database, migrations at start) until its HEALTHCHECK command passes and
# /streamscope.js is served. Slow (a full npm ci and next build): CI runs it, `npm test` does not.
# DOCKER_CHECK_PORT (default 4540) is where the runtime listens.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/streamscope-docker-check.XXXXXX)
port="${DOCKER_CHECK_PORT:-4540}"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n=== docker-check: %s\n' "$1"; }

step "build context (.dockerignore applied)"
excludes=()
while IFS= read -r line; do
  line="${line%%#*}"; line="${line%"${line##*[![:space:]]}"}"
  [ -z "$line" ] && continue
  case "$line" in '!'*) continue ;; esac
  excludes+=("--exclude=/$line")
done < .dockerignore
mkdir -p "$work/context"
rsync -a "${excludes[@]}" ./ "$work/context/"
for secret in .env .data node_modules .git; do
  [ ! -e "$work/context/$secret" ] || { echo "the build context carries $secret" >&2; exit 1; }
done

step "stage deps: scripts/docker-deps.sh"
mkdir -p "$work/build/scripts" "$work/build/prisma"
cp "$work/context/package.json" "$work/context/package-lock.json" "$work/context/prisma.config.ts" "$work/build/"
cp "$work/context/scripts/docker-deps.sh" "$work/context/scripts/prisma.mjs" "$work/build/scripts/"
cp "$work/context/prisma/schema.prisma" "$work/build/prisma/"
(cd "$work/build" && bash scripts/docker-deps.sh)

step "stage build: scripts/docker-build.sh"
rsync -a "$work/context/" "$work/build/"
(cd "$work/build" && bash scripts/docker-build.sh)

step "stage runtime: scripts/docker-runtime.sh, then the Dockerfile's COPY --from=build lines"
mkdir -p "$work/runtime/scripts" "$work/data"
cp "$work/context/scripts/docker-runtime.sh" "$work/runtime/scripts/"
cp "$work/context/package.json" "$work/context/package-lock.json" "$work/runtime/"
# The user is made only inside an image; here the server runs as nobody instead.
(cd "$work/runtime" && STREAMSCOPE_SKIP_USER=1 bash scripts/docker-runtime.sh)
copied=0
while read -r -a words; do
  srcs=()
  for w in "${words[@]:1}"; do case "$w" in --*) ;; *) srcs+=("$w") ;; esac; done
  dest="${srcs[-1]}"; unset 'srcs[-1]'
  for s in "${srcs[@]}"; do
    rel="${s#/app/}"
    if [ "$dest" = "./" ]; then cp -a "$work/build/$rel" "$work/runtime/"; else mkdir -p "$work/runtime/$dest" && cp -a "$work/build/$rel/." "$work/runtime/$dest/"; fi
    copied=$((copied + 1))
  done
done < <(grep -E '^COPY --from=build' Dockerfile)
[ "$copied" -ge 5 ] || { echo "read only $copied COPY --from=build sources from the Dockerfile" >&2; exit 1; }
# Only what nothing in production pulls in (npm installs peer dependencies: esbuild comes with
# tsx, TypeScript and Prisma's CLI with @prisma/client and tRPC, Playwright with next).
for dev in vitest eslint @vitejs eslint-config-next; do
  [ ! -e "$work/runtime/node_modules/$dev" ] || { echo "the runtime carries the devDependency $dev" >&2; exit 1; }
done

step "runtime: the Dockerfile's CMD as nobody, empty data directory, migrations at start"
chmod 0755 "$work"
chmod -R a+rX "$work/runtime"
# As the Dockerfile's COPY --chown: the server may write its cache under .next.
chown -R 65534:65534 "$work/runtime/.next" 2>/dev/null || chmod -R a+w "$work/runtime/.next"
chown -R 65534:65534 "$work/data" 2>/dev/null || chmod 0777 "$work/data"
# The image's CMD and HEALTHCHECK, as JSON arrays in the Dockerfile.
cmd_json=$(grep -E '^CMD \[' Dockerfile | sed 's/^CMD //')
health_json=$(grep -A1 '^HEALTHCHECK' Dockerfile | tail -1 | sed 's/^ *CMD //')
mapfile -t cmd < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$cmd_json")
mapfile -t health < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$health_json")
as_user=()
if [ "$(id -u)" = "0" ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --); fi
(
  cd "$work/runtime"
  exec env -i PATH="$PATH" HOME="$work/data" NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=127.0.0.1 PORT="$port" \
    EMBEDDED_DB_DIR="$work/data/pglite" EMBEDDED_DB_PORT="$((port + 1))" NEXTAUTH_SECRET=docker-check-secret-0123456789 \
    NEXTAUTH_URL="http://127.0.0.1:$port" LOG_LEVEL=warn "${as_user[@]}" "${cmd[@]}"
) > "$work/server.log" 2>&1 &
server_pid=$!
healthy=0
for _ in $(seq 1 120); do
  if (cd "$work/runtime" && PORT="$port" "${health[@]}"); then healthy=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 1
done
if [ "$healthy" != 1 ]; then cat "$work/server.log" >&2; echo "the runtime never passed its HEALTHCHECK" >&2; exit 1; fi
grep -q "Scheduled jobs run in this process" "$work/server.log" || { cat "$work/server.log" >&2; echo "no scheduler in the runtime" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/streamscope.js" -o /dev/null
[ "$(stat -c %u "$work/data/pglite")" != "0" ] || { echo "the database files belong to root" >&2; exit 1; }
echo "docker-check: every stage ran; the runtime answered its HEALTHCHECK as an unprivileged user"
