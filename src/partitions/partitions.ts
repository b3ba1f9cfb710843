// Monthly partitions of playback_events (migration 20261124142800): one RANGE partition per UTC
// month in schema `event_partitions` (out of Prisma's view), plus a DEFAULT partition that takes any
// row no monthly partition covers, so an insert never fails for want of a partition.
//
// ensurePartitions() creates the current and the next months' partitions ahead of time, and a
// partition for every month that has rows waiting in the default partition. PostgreSQL refuses to
// create a partition whose range matches rows in the default partition, so a month is always made
// as a plain table, filled with its rows moved out of the default, then ATTACHed — all in one
// transaction holding the default partition locked, so no row can slip in between.
import type pg from "pg";
import { rollback, withTransaction } from "~/lib/db/transaction";

export const PARTITION_SCHEMA = "event_partitions";
export const PARENT_TABLE = "playback_events";
export const DEFAULT_PARTITION = "playback_events_default";
/** Resent events older than 24 h are refused at the door, so keys need to outlive that by a margin. */
const KEY_RETENTION_HOURS = 48;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

export interface PartitionInfo {
  /** Table name inside PARTITION_SCHEMA. */
  name: string;
  isDefault: boolean;
  /** Inclusive lower bound (UTC month start); null for the default partition. */
  from: Date | null;
  /** Exclusive upper bound; null for the default partition. */
  to: Date | null;
}

/** First instant of the UTC month containing `d`, shifted by `add` months. */
export function monthStart(d: Date, add = 0): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
}

export function partitionName(month: Date): string {
  return `${PARENT_TABLE}_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}

export const qualified = (name: string) => `"${PARTITION_SCHEMA}"."${name.replace(/"/g, '""')}"`;

/** Is playback_events partitioned here? (false on a database that fell back to a plain table) */
export async function isPartitioned(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ kind: string }>(
    `SELECT c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = $1`,
    [PARENT_TABLE],
  );
  return rows[0]?.kind === "p";
}

/** Every partition of playback_events with its bounds, oldest first, the default last. */
export async function listPartitions(db: Queryable): Promise<PartitionInfo[]> {
  const { rows } = await db.query<{ name: string; schema: string; bound: string; from: Date | null; to: Date | null }>(
    `SELECT c.relname AS name, n.nspname AS schema, b.bound,
            (regexp_match(b.bound, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS "from",
            (regexp_match(b.bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS "to"
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
      WHERE i.inhparent = to_regclass($1)`,
    [`"${PARENT_TABLE}"`],
  );
  const list = rows.map((r) => ({
    name: r.name,
    isDefault: r.bound === "DEFAULT",
    from: r.from,
    to: r.to,
  }));
  return list.sort((a, b) =>
    a.isDefault !== b.isDefault ? (a.isDefault ? 1 : -1) : (a.from?.getTime() ?? 0) - (b.from?.getTime() ?? 0),
  );
}

/** Months (UTC month starts) that have rows sitting in the default partition. */
async function monthsInDefault(db: Queryable): Promise<Date[]> {
  const { rows } = await db.query<{ month: Date }>(
    `SELECT DISTINCT date_trunc('month', event_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month
       FROM ${qualified(DEFAULT_PARTITION)} ORDER BY 1`,
  );
  return rows.map((r) => r.month);
}

export interface CreatedPartition {
  name: string;
  from: string;
  to: string;
  /** Rows moved out of the default partition into it. */
  moved: number;
}

/**
 * Creates the partition for the UTC month starting at `month` unless one exists; rows of that month
 * waiting in the default partition move into it. Returns null when it already existed.
 */
export async function createMonthPartition(pool: pg.Pool, month: Date, opts: { lockTimeoutMs?: number } = {}): Promise<CreatedPartition | null> {
  const from = monthStart(month);
  const to = monthStart(month, 1);
  const name = partitionName(from);
  // Waiting behind a long query is fine for a while; waiting forever is not (the job fails and reruns).
  const lockTimeout = Math.max(1, Math.round(opts.lockTimeoutMs ?? 30_000));
  return withTransaction(pool, async (client) => {
    // Serializes concurrent creators (two jobs, the worker and a cron route): the second one sees the table.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('streamscope:partitions'))");
    const exists = await client.query(`SELECT to_regclass($1) AS t`, [qualified(name)]);
    if (exists.rows[0]?.t) return rollback(null);
    const overlapping = (await listPartitions(client)).find(
      (p) => !p.isDefault && p.from && p.to && p.from < to && p.to > from,
    );
    if (overlapping) throw new Error(`partition ${overlapping.name} already covers part of ${name}'s range`);

    // Nothing may enter the default partition while its rows of this month move out.
    await client.query(`LOCK TABLE ${qualified(DEFAULT_PARTITION)} IN ACCESS EXCLUSIVE MODE`);
    await client.query(`CREATE TABLE ${qualified(name)} (LIKE "${PARENT_TABLE}" INCLUDING DEFAULTS)`);
    // The CHECK matches the partition bound, so ATTACH needs not scan the table again.
    await client.query(
      `ALTER TABLE ${qualified(name)} ADD CONSTRAINT "${name}_bound" CHECK (event_at IS NOT NULL AND event_at >= $FROM$ AND event_at < $TO$)`
        .replace("$FROM$", literal(from))
        .replace("$TO$", literal(to)),
    );
    const moved = await client.query(
      `WITH gone AS (DELETE FROM ${qualified(DEFAULT_PARTITION)} WHERE event_at >= $1 AND event_at < $2 RETURNING *)
       INSERT INTO ${qualified(name)} SELECT * FROM gone`,
      [from, to],
    );
    await client.query(
      `ALTER TABLE "${PARENT_TABLE}" ATTACH PARTITION ${qualified(name)} FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`,
    );
    await client.query(`ALTER TABLE ${qualified(name)} DROP CONSTRAINT "${name}_bound"`);
    return { name, from: from.toISOString(), to: to.toISOString(), moved: moved.rowCount ?? 0 };
  }, { settings: { lock_timeout: lockTimeout } });
}

function literal(d: Date): string {
  return `'${d.toISOString()}'::timestamptz`;
}

export interface EnsureResult {
  created: CreatedPartition[];
  /** Rows moved out of the default partition. */
  moved: number;
  /** Monthly partitions after the run. */
  partitions: number;
  /** Rows left in the default partition (should be 0). */
  defaultRows: number;
}

/** The current and next `monthsAhead` months' partitions, and one for every month waiting in the default partition. Idempotent. */
export async function ensurePartitions(
  pool: pg.Pool,
  opts: { monthsAhead?: number; now?: Date; onProgress?: (message: string) => void } = {},
): Promise<EnsureResult> {
  const now = opts.now ?? new Date();
  const ahead = Math.max(0, opts.monthsAhead ?? 3);
  const wanted = new Map<number, Date>();
  for (let k = 0; k <= ahead; k++) {
    const m = monthStart(now, k);
    wanted.set(m.getTime(), m);
  }
  for (const m of await monthsInDefault(pool)) wanted.set(m.getTime(), m);
  const have = new Set((await listPartitions(pool)).filter((p) => !p.isDefault).map((p) => p.from!.getTime()));
  const created: CreatedPartition[] = [];
  for (const [t, m] of [...wanted].sort((a, b) => a[0] - b[0])) {
    if (have.has(t)) continue;
    const c = await createMonthPartition(pool, m);
    if (c) {
      created.push(c);
      opts.onProgress?.(`created ${PARTITION_SCHEMA}.${c.name}${c.moved ? ` (${c.moved} rows moved out of the default partition)` : ""}`);
    }
  }
  const after = await listPartitions(pool);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qualified(DEFAULT_PARTITION)}`);
  return {
    created,
    moved: created.reduce((s, c) => s + c.moved, 0),
    partitions: after.filter((p) => !p.isDefault).length,
    defaultRows: rows[0]?.n ?? 0,
  };
}

/** Deletes dedup keys stored more than `hours` ago, in batches (short transactions, no long lock). */
export async function pruneEventKeys(pool: pg.Pool, opts: { hours?: number; batchSize?: number; now?: Date } = {}): Promise<number> {
  const hours = opts.hours ?? KEY_RETENTION_HOURS;
  const batch = opts.batchSize ?? 10_000;
  const cutoff = new Date((opts.now ?? new Date()).getTime() - hours * 3_600_000);
  let total = 0;
  for (;;) {
    const r = await pool.query(
      `DELETE FROM playback_event_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM playback_event_keys WHERE stored_at < $1 LIMIT $2))`,
      [cutoff, batch],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) return total;
  }
}
