// Retention of raw events (docs/retention.md). Raw playback_events older than RETENTION_MONTHS go,
// but only once nothing still needs them: an event is *covered* when its stream's stream_stats were
// calculated after it AND its session is finalized (no open session will re-walk it). Events of a
// stream that no longer exists are covered too (nothing is left to aggregate them into).
// Sessions and aggregates are never touched.
//
// How: a monthly partition entirely older than the cutoff whose rows are all covered is dropped
// whole (instant, no dead tuples); otherwise its covered old rows are deleted in batches, as are
// those of the default partition (and of the whole table where it is not partitioned).
import type pg from "pg";
import { rollback, withTransaction } from "~/lib/db/transaction";
import { DEFAULT_PARTITION, PARENT_TABLE, isPartitioned, listPartitions, qualified } from "~/partitions/partitions";

export interface RetentionOptions {
  months: number;
  now?: Date;
  /** List what would go; remove nothing. */
  dryRun?: boolean;
  /** Rows per DELETE statement. */
  batchSize?: number;
  onProgress?: (message: string) => void;
}

export interface RetentionItem {
  /** Partition (schema-qualified) or table. */
  table: string;
  /** drop: the whole partition goes; delete: its covered old rows go in batches. */
  action: "drop" | "delete";
  /** Rows that go (all rows of a dropped partition). */
  rows: number;
  /** Old rows kept because they are not covered yet. */
  keptUncovered: number;
}

export interface RetentionResult {
  dryRun: boolean;
  cutoff: string;
  items: RetentionItem[];
  droppedPartitions: number;
  removedRows: number;
  keptUncovered: number;
}

/** `months` calendar months before `now` (UTC; the day clamps to the month's end). */
export function retentionCutoff(now: Date, months: number): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(y, m, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()),
  );
}

/** SQL: event `e` is still needed (its stream exists and stats or sessions do not cover it yet). */
const UNCOVERED = `(
  EXISTS (SELECT 1 FROM streams s WHERE s.id = e.stream_id)
  AND (
    NOT EXISTS (SELECT 1 FROM stream_stats ss WHERE ss.stream_id = e.stream_id AND ss.last_calculated_at > e.event_at)
    OR EXISTS (SELECT 1 FROM viewer_sessions v WHERE v.id = e.session_id AND v.finalized_at IS NULL)
  ))`;

async function countOld(db: pg.Pool | pg.PoolClient, table: string, cutoff: Date): Promise<{ old: number; uncovered: number }> {
  const { rows } = await db.query<{ old: number; uncovered: number }>(
    `SELECT count(*)::int AS old, count(*) FILTER (WHERE ${UNCOVERED})::int AS uncovered
       FROM ${table} e WHERE e.event_at < $1`,
    [cutoff],
  );
  return rows[0] ?? { old: 0, uncovered: 0 };
}

async function deleteCovered(pool: pg.Pool, table: string, cutoff: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    // Short statements: each batch is its own transaction, so ingestion never waits long.
    const r = await pool.query(
      `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
         SELECT e.ctid FROM ${table} e WHERE e.event_at < $1 AND NOT ${UNCOVERED} LIMIT $2))`,
      [cutoff, batchSize],
    );
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batchSize) return total;
  }
}

/** Drops a partition if, under lock, all its rows are old and covered; returns the rows dropped, or null if not. */
async function dropIfCovered(pool: pg.Pool, name: string, cutoff: Date): Promise<number | null> {
  return withTransaction(
    pool,
    async (client) => {
      await client.query(`LOCK TABLE ${qualified(name)} IN ACCESS EXCLUSIVE MODE`);
      const { rows } = await client.query<{ n: number; keep: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE e.event_at >= $1 OR ${UNCOVERED})::int AS keep FROM ${qualified(name)} e`,
        [cutoff],
      );
      if ((rows[0]?.keep ?? 1) > 0) return rollback(null);
      await client.query(`DROP TABLE ${qualified(name)}`);
      return rows[0]!.n;
    },
    { settings: { lock_timeout: 30000 } },
  );
}

export async function applyRetention(pool: pg.Pool, opts: RetentionOptions): Promise<RetentionResult> {
  const now = opts.now ?? new Date();
  const cutoff = retentionCutoff(now, opts.months);
  const dryRun = opts.dryRun ?? false;
  const batchSize = opts.batchSize ?? 5000;
  const say = opts.onProgress ?? (() => {});
  const items: RetentionItem[] = [];

  // What is old: monthly partitions wholly or partly before the cutoff, and the default partition.
  const targets: { table: string; name: string | null; whole: boolean }[] = [];
  if (await isPartitioned(pool)) {
    for (const p of await listPartitions(pool)) {
      if (p.isDefault) targets.push({ table: qualified(p.name), name: p.name, whole: false });
      else if (p.from && p.from < cutoff) targets.push({ table: qualified(p.name), name: p.name, whole: !!p.to && p.to <= cutoff });
    }
  } else {
    targets.push({ table: `"${PARENT_TABLE}"`, name: null, whole: false });
  }

  for (const t of targets) {
    const { old, uncovered } = await countOld(pool, t.table, cutoff);
    const label = t.name ? `event_partitions.${t.name}` : PARENT_TABLE;
    if (old === 0) continue;
    if (t.whole && uncovered === 0 && t.name && t.name !== DEFAULT_PARTITION) {
      if (dryRun) {
        items.push({ table: label, action: "drop", rows: old, keptUncovered: 0 });
        say(`would drop ${label} (${old} rows)`);
        continue;
      }
      const dropped = await dropIfCovered(pool, t.name, cutoff);
      if (dropped !== null) {
        items.push({ table: label, action: "drop", rows: dropped, keptUncovered: 0 });
        say(`dropped ${label} (${dropped} rows)`);
        continue;
      }
      // Something changed under us (a session re-opened): fall through to row deletes.
    }
    if (dryRun) {
      items.push({ table: label, action: "delete", rows: old - uncovered, keptUncovered: uncovered });
      say(`would delete ${old - uncovered} rows from ${label}, keeping ${uncovered} not yet covered`);
      continue;
    }
    const deleted = await deleteCovered(pool, t.table, cutoff, batchSize);
    const left = await countOld(pool, t.table, cutoff);
    items.push({ table: label, action: "delete", rows: deleted, keptUncovered: left.old });
    say(`deleted ${deleted} rows from ${label}, kept ${left.old} not yet covered`);
  }

  return {
    dryRun,
    cutoff: cutoff.toISOString(),
    items,
    droppedPartitions: items.filter((i) => i.action === "drop").length,
    removedRows: items.reduce((s, i) => s + i.rows, 0),
    keptUncovered: items.reduce((s, i) => s + i.keptUncovered, 0),
  };
}
