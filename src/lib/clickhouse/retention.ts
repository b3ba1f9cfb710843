// Retention of raw events in ClickHouse: whole monthly partitions older than RETENTION_MONTHS are
// dropped (ClickHouse 18.16 has no table TTL; dropping a partition is instant and is what TTL
// would do, a month at a time). A month is dropped once all of it is older than the cut-off, so
// events live between RETENTION_MONTHS and RETENTION_MONTHS + 1 months.
import type { ClickHouseClient } from "@clickhouse/client";
import { chInt, chRows } from "./client";

/** The first month (YYYYMM) to keep. */
export function firstKeptMonth(months: number, now = new Date()): number {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

export async function dropExpiredPartitions(ch: ClickHouseClient, months: number, now = new Date()): Promise<string[]> {
  const keep = firstKeptMonth(months, now);
  const parts = await chRows<{ partition: string }>(
    ch,
    `SELECT DISTINCT partition FROM system.parts
     WHERE database = currentDatabase() AND table = 'playback_events' AND active`,
  );
  const expired = parts.map((p) => p.partition).filter((p) => /^\d{6}$/.test(p) && Number(p) < keep).sort();
  for (const p of expired) {
    // The partition key is a number (toYYYYMM); p was checked to be six digits.
    await ch.command({ query: `ALTER TABLE playback_events DROP PARTITION ${chInt(Number(p))}` });
  }
  return expired;
}
