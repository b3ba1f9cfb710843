// Versioned ClickHouse migrations: clickhouse/migrations/NNN_name.sql, applied in order and
// recorded in `_streamscope_migrations` (version, name, checksum). A file may hold several
// statements separated by `;` at the end of a line (ClickHouse's HTTP interface takes one at a
// time). ClickHouse has no transactions or advisory locks: statements are written idempotently
// (IF NOT EXISTS) and migrations should run from one place (the deploy step), as for PostgreSQL.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { chExec, chInt, chRows, chString, createClickHouse, parseClickHouseUrl } from "./client";

const CLICKHOUSE_MIGRATIONS_DIR = path.resolve("clickhouse/migrations");

export interface ClickHouseMigration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

/** Splits a migration file into statements, dropping `--` comment lines. */
export function splitStatements(sql: string): string[] {
  const body = sql
    .split("\n")
    .filter((l) => !l.trim().startsWith("--"))
    .join("\n");
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function listClickHouseMigrations(dir = CLICKHOUSE_MIGRATIONS_DIR): ClickHouseMigration[] {
  const seen = new Map<number, string>();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .map((file) => {
      const m = /^(\d+)_([A-Za-z0-9_]+)\.sql$/.exec(file);
      if (!m) throw new Error(`clickhouse migration ${file}: name must be NNN_name.sql`);
      const version = Number(m[1]);
      if (seen.has(version)) throw new Error(`clickhouse migrations ${seen.get(version)} and ${file} share version ${version}`);
      seen.set(version, file);
      const sql = fs.readFileSync(path.join(dir, file), "utf8");
      return { version, name: m[2]!, statements: splitStatements(sql), checksum: createHash("sha256").update(sql).digest("hex") };
    })
    .sort((a, b) => a.version - b.version);
}

export interface ClickHouseMigrationResult {
  database: string;
  applied: string[];
  alreadyApplied: number;
}

/** Creates the URL's database if needed and applies the pending migrations. */
export async function migrateClickHouse(
  url: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<ClickHouseMigrationResult> {
  const log = opts.log ?? (() => {});
  const { database } = parseClickHouseUrl(url);
  const root = createClickHouse(url, { database: null });
  try {
    await chExec(root, `CREATE DATABASE IF NOT EXISTS ${database}`);
  } finally {
    await root.close();
  }
  const ch = createClickHouse(url);
  try {
    return await applyAll(ch, database, opts.dir, log);
  } finally {
    await ch.close();
  }
}

async function applyAll(ch: ClickHouseClient, database: string, dir: string | undefined, log: (line: string) => void) {
  await chExec(
    ch,
    `CREATE TABLE IF NOT EXISTS _streamscope_migrations (
       version UInt32, name String, checksum String, applied_at DateTime DEFAULT now()
     ) ENGINE = MergeTree ORDER BY version`,
  );
  const done = new Map(
    (await chRows<{ version: number; name: string; checksum: string }>(ch, "SELECT version, name, checksum FROM _streamscope_migrations")).map(
      (r) => [Number(r.version), r],
    ),
  );
  const result: ClickHouseMigrationResult = { database, applied: [], alreadyApplied: 0 };
  for (const m of listClickHouseMigrations(dir)) {
    const label = `${String(m.version).padStart(3, "0")}_${m.name}`;
    const prior = done.get(m.version);
    if (prior) {
      if (prior.checksum !== m.checksum) {
        throw new Error(`clickhouse migration ${label} was edited after it was applied (checksum differs); add a new migration instead`);
      }
      result.alreadyApplied++;
      continue;
    }
    log(`clickhouse: applying ${label}`);
    for (const statement of m.statements) {
      try {
        await chExec(ch, statement);
      } catch (err) {
        throw new Error(`clickhouse migration ${label} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    await chExec(
      ch,
      `INSERT INTO _streamscope_migrations (version, name, checksum) VALUES (${chInt(m.version)}, ${chString(m.name)}, ${chString(m.checksum)})`,
    );
    result.applied.push(label);
  }
  return result;
}
