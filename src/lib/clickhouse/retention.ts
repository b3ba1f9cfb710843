// Retention of raw events in ClickHouse: whole monthly partitions older than RETENTION_MONTHS are
// dropped (ClickHouse 18.16 has no table TTL; dropping a partition is instant and is what TTL
// would do, a month at a time). A month is dropped once all of it is older than the cut-off, so
// events live between RETENTION_MONTHS and RETENTION_MONTHS + 1 months. As in PostgreSQL
// (src/retention/), a month goes only once the sessions and aggregates in PostgreSQL cover it.
import type { ClickHouseClient } from "@clickhouse/client";
import type pg from "pg";
import { chInt, chRows } from "./client";

/** The first month (YYYYMM) to keep. */
export function firstKeptMonth(months: number, now = new Date()): number {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

export interface ClickHouseRetentionResult {
  /** Months (YYYYMM) dropped, or that would be with dryRun. */
  dropped: string[];
  /** Expired months kept because a session in them is not finalized or its stream's stats predate it. */
  keptUncovered: string[];
  /** Rows in the dropped (or droppable) months. */
  rows: number;
}

function monthRange(yyyymm: number): [Date, Date] {
  const y = Math.floor(yyyymm / 100);
  const m = (yyyymm % 100) - 1;
  return [new Date(Date.UTC(y, m, 1)), new Date(Date.UTC(y, m + 1, 1))];
}

/** Whether every session that overlaps the month is finalized and counted in its stream's stats. */
async function monthCovered(pool: pg.Pool, yyyymm: number): Promise<boolean> {
  const [start, end] = monthRange(yyyymm);
  const { rows } = await pool.query<{ uncovered: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM viewer_sessions v LEFT JOIN stream_stats s ON s.stream_id = v.stream_id
       WHERE v.started_at < $2 AND v.ended_at >= $1
         AND (v.finalized_at IS NULL OR s.last_calculated_at IS NULL OR s.last_calculated_at < v.finalized_at)
     ) AS uncovered`,
    [start, end],
  );
  return !rows[0]!.uncovered;
}

export async function dropExpiredPartitions(
  ch: ClickHouseClient,
  months: number,
  now = new Date(),
  opts: { pool?: pg.Pool; dryRun?: boolean } = {},
): Promise<ClickHouseRetentionResult> {
  const keep = firstKeptMonth(months, now);
  const parts = await chRows<{ partition: string; rows: string }>(
    ch,
    `SELECT partition, sum(rows) AS rows FROM system.parts
     WHERE database = currentDatabase() AND table = 'playback_events' AND active
     GROUP BY partition`,
  );
  const expired = parts.filter((p) => /^\d{6}$/.test(p.partition) && Number(p.partition) < keep).sort((a, b) => a.partition.localeCompare(b.partition));
  const result: ClickHouseRetentionResult = { dropped: [], keptUncovered: [], rows: 0 };
  for (const p of expired) {
    if (opts.pool && !(await monthCovered(opts.pool, Number(p.partition)))) {
      result.keptUncovered.push(p.partition);
      continue;
    }
    // The partition key is a number (toYYYYMM); p was checked to be six digits.
    if (!opts.dryRun) await ch.command({ query: `ALTER TABLE playback_events DROP PARTITION ${chInt(Number(p.partition))}` });
    result.dropped.push(p.partition);
    result.rows += Number(p.rows);
  }
  return result;
}
