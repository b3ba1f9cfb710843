#!/usr/bin/env node
// Runs the Prisma CLI offline. `prisma generate` and `prisma studio` refuse to start without the
// native schema engine, which cannot be downloaded here, although neither command runs it; the
// documented PRISMA_SCHEMA_ENGINE_BINARY variable pointing at any existing file satisfies the check.
// Migrations do not go through here: see src/cli/migrate.ts.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const res = spawnSync("prisma", process.argv.slice(2), { stdio: "inherit", env, shell: false });
process.exit(res.status ?? 1);
