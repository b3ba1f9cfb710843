// One pg pool per process, shared by Prisma (through @prisma/adapter-pg) and by the raw SQL of
// ingestion and aggregation.
import pg from "pg";
import { env } from "~/env";
import { log } from "~/lib/log";
import { isEmbedded } from "./connect";

// Timestamps come back as JS Dates; int8 (counts, bigserial ids) as numbers when safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const globalForPool = globalThis as unknown as { streamscopePool?: pg.Pool };

export function getPool(): pg.Pool {
  if (globalForPool.streamscopePool) return globalForPool.streamscopePool;
  const connectionString = env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start through the server or call ensureDatabaseUrl() first");
  }
  const max = env.DB_POOL_MAX ?? (isEmbedded() ? 4 : 10);
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server (restart, terminated backend) must not crash the process:
  // the pool drops that client and the next query opens a new one. Said in the log, not swallowed.
  pool.on("error", (err) => log.error({ err }, "idle database connection failed; the pool replaces it"));
  globalForPool.streamscopePool = pool;
  return pool;
}

export async function closePool(): Promise<void> {
  const pool = globalForPool.streamscopePool;
  globalForPool.streamscopePool = undefined;
  await pool?.end();
}
