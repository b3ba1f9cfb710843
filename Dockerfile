# syntax=docker/dockerfile:1
# Streamscope as one image: `npm start` (src/cli/server.ts) serves the app, applies pending
# migrations at start and runs the scheduled jobs in-process (SCHEDULER=off when `npm run worker`
# runs apart). Without DATABASE_URL it keeps its embedded database in /data (a volume).
# Every RUN calls a script under scripts/docker-*.sh: scripts/docker-check.sh replays them without
# Docker, so CI tests the image's steps even where no image can be built. compose.yaml runs it.
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Dependencies, development ones included (the build needs esbuild, TypeScript, Prisma's CLI).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/docker-deps.sh scripts/prisma.mjs ./scripts/
COPY prisma/schema.prisma ./prisma/schema.prisma
COPY prisma.config.ts ./
RUN bash scripts/docker-deps.sh

# 2. The build: Prisma client, the tracker bundles, next build.
FROM deps AS build
COPY . .
RUN bash scripts/docker-build.sh

# 3. What runs: production dependencies, the build, the sources tsx runs, migrations. Non-root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    EMBEDDED_DB_DIR=/data/pglite
WORKDIR /app
COPY scripts/docker-runtime.sh ./scripts/docker-runtime.sh
COPY package.json package-lock.json ./
RUN bash scripts/docker-runtime.sh
COPY --from=build --chown=streamscope:streamscope /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/src ./src
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/next.config.mjs /app/tsconfig.json /app/vercel.json ./
USER streamscope
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tsx directly, not npm: SIGTERM reaches the server, which finishes jobs and batches under way.
CMD ["node_modules/.bin/tsx", "src/cli/server.ts"]
