// Applies prisma/migrations/*/migration.sql in order, bookkept in Prisma's own `_prisma_migrations`
// table (same checksum), so `prisma migrate deploy` agrees on machines that have Prisma's engine.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { withTransaction } from "./transaction";

// Prisma's advisory lock key, so our runner and `prisma migrate` never run at once.
const MIGRATION_LOCK_KEY = 72707369;

class MigrationStateError extends Error {}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function listMigrations(dir = path.resolve("prisma/migrations")): { name: string; sql: string; checksum: string }[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function migrate(
  connectionString: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString });
  await client.connect();
  // Each step holds the lock as a transaction lock, not a session one: on the embedded database
  // every connection shares ONE session, where a session lock excludes nobody, while its turns keep
  // a transaction to itself. A step re-reads what is applied under the lock, so two runners at once
  // apply each migration once. (A transaction lock conflicts with `prisma migrate`'s session lock.)
  const locked = <T>(fn: (tx: pg.ClientBase) => Promise<T>) =>
    withTransaction(client, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      return fn(tx);
    });
  try {
    await locked((tx) =>
      tx.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`),
    );
    const result: MigrationResult = { applied: [], alreadyApplied: 0 };
    for (const m of listMigrations(opts.dir)) {
      try {
        const applied = await locked(async (tx) => {
          const { rows } = await tx.query<{ checksum: string; finished_at: Date | null }>(
            `SELECT checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND migration_name = $1`,
            [m.name],
          );
          const prior = rows[0];
          if (prior) {
            if (!prior.finished_at) {
              throw new MigrationStateError(`migration ${m.name} failed earlier and was not rolled back; fix the database, then mark it rolled back`);
            }
            if (prior.checksum !== m.checksum) {
              throw new MigrationStateError(`migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`);
            }
            return false;
          }
          log(`applying ${m.name}`);
          await tx.query(m.sql);
          await tx.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
             VALUES ($1, $2, now(), $3, 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          return true;
        });
        if (applied) result.applied.push(m.name);
        else result.alreadyApplied++;
      } catch (err) {
        if (err instanceof MigrationStateError) throw err;
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
    }
    return result;
  } finally {
    await client.end();
  }
}
