// playback_events partitioning against PostgreSQL: rows land in their month's partition or in the
// default one; creating partitions is idempotent and empties the default partition of their months;
// dedup keys are pruned by age. Test files share one database, so every test uses its own months
// (far from now and from each other) and its own clientIds.
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import {
  DEFAULT_PARTITION,
  PARTITION_SCHEMA,
  createMonthPartition,
  ensurePartitions,
  isPartitioned,
  listPartitions,
  monthStart,
  partitionName,
  pruneEventKeys,
} from "./partitions";

async function insertAt(streamId: string, clientId: string, times: Date[]) {
  await getPool().query(
    `INSERT INTO playback_events (stream_id, client_id, seq, type, event_at, client_ts, video_time)
     SELECT $1, $2, s, 'heartbeat', a, 0, 0 FROM unnest($3::int[], $4::timestamptz[]) AS u(s, a)`,
    [streamId, clientId, times.map((_, i) => i + 1), times],
  );
}

async function whereRows(clientId: string): Promise<Record<string, number>> {
  const { rows } = await getPool().query<{ part: string; n: number }>(
    `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM playback_events WHERE client_id = $1 GROUP BY 1`,
    [clientId],
  );
  return Object.fromEntries(rows.map((r) => [r.part, r.n]));
}

describe("monthly partitions of playback_events", () => {
  it("is partitioned, with a default partition, all partitions outside Prisma's schema", async () => {
    expect(await isPartitioned(getPool())).toBe(true);
    const parts = await listPartitions(getPool());
    expect(parts.filter((p) => p.isDefault).map((p) => p.name)).toEqual([DEFAULT_PARTITION]);
    const { rows } = await getPool().query<{ schema: string }>(
      `SELECT DISTINCT n.nspname AS schema FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = 'playback_events'::regclass`,
    );
    expect(rows.map((r) => r.schema)).toEqual([PARTITION_SCHEMA]);
  });

  it("the migration made this month's partition and the next ones: current events land there", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const now = new Date();
    await insertAt(stream.id, clientId, [now]);
    expect(await whereRows(clientId)).toEqual({ [`${PARTITION_SCHEMA}.${partitionName(monthStart(now))}`]: 1 });
  });

  it("rows of a month without a partition land in the default one, and move into their partition when it is made", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const month = new Date(Date.UTC(2031, 4, 1)); // May 2031: no partition this far ahead
    const times = [new Date(Date.UTC(2031, 4, 1, 0, 0, 0)), new Date(Date.UTC(2031, 4, 17, 12)), new Date(Date.UTC(2031, 4, 31, 23, 59, 59, 999))];
    const nextMonth = new Date(Date.UTC(2031, 5, 1)); // first instant of June: not May's
    await insertAt(stream.id, clientId, [...times, nextMonth]);
    expect(await whereRows(clientId)).toEqual({ [`${PARTITION_SCHEMA}.${DEFAULT_PARTITION}`]: 4 });

    const made = await createMonthPartition(getPool(), month);
    expect(made).toMatchObject({ name: "playback_events_2031_05", from: "2031-05-01T00:00:00.000Z", to: "2031-06-01T00:00:00.000Z" });
    expect(made!.moved).toBeGreaterThanOrEqual(3);
    expect(await whereRows(clientId)).toEqual({
      [`${PARTITION_SCHEMA}.playback_events_2031_05`]: 3,
      [`${PARTITION_SCHEMA}.${DEFAULT_PARTITION}`]: 1,
    });
    // The moved rows are still whole and reachable through the parent, indexes included.
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS n FROM playback_events WHERE stream_id = $1 AND event_at >= $2 AND event_at < $3",
      [stream.id, month, nextMonth],
    );
    expect(rows[0].n).toBe(3);
    const idx = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = $1::regclass`,
      [`${PARTITION_SCHEMA}.playback_events_2031_05`],
    );
    expect(idx.rows[0]!.n).toBe(4); // primary key + the three indexes of the parent

    // A second time: nothing to do.
    expect(await createMonthPartition(getPool(), month)).toBeNull();
    // New rows of that month now go straight to it.
    const late = uid("c");
    await insertAt(stream.id, late, [new Date(Date.UTC(2031, 4, 9))]);
    expect(await whereRows(late)).toEqual({ [`${PARTITION_SCHEMA}.playback_events_2031_05`]: 1 });
  });

  it("ensurePartitions makes the current and next months once (idempotent) and empties the default partition", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const now = new Date(Date.UTC(2033, 10, 15)); // pretend it is Nov 2033
    await insertAt(stream.id, clientId, [new Date(Date.UTC(2032, 1, 3)), new Date(Date.UTC(2033, 11, 24))]);
    expect(await whereRows(clientId)).toEqual({ [`${PARTITION_SCHEMA}.${DEFAULT_PARTITION}`]: 2 });

    const first = await ensurePartitions(getPool(), { now, monthsAhead: 2 });
    const names = first.created.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(["playback_events_2032_02", "playback_events_2033_11", "playback_events_2033_12", "playback_events_2034_01"]),
    );
    expect(await whereRows(clientId)).toEqual({
      [`${PARTITION_SCHEMA}.playback_events_2032_02`]: 1,
      [`${PARTITION_SCHEMA}.playback_events_2033_12`]: 1,
    });

    const second = await ensurePartitions(getPool(), { now, monthsAhead: 2 });
    expect(second.created.map((c) => c.name)).not.toEqual(expect.arrayContaining(["playback_events_2033_11"]));
    for (const name of ["playback_events_2032_02", "playback_events_2033_11", "playback_events_2033_12", "playback_events_2034_01"]) {
      expect(second.created.map((c) => c.name)).not.toContain(name);
    }
    const parts = (await listPartitions(getPool())).map((p) => p.name);
    expect(parts.filter((n) => n === "playback_events_2033_12")).toHaveLength(1);
    // Both runs leave ranges that do not overlap, in month order.
    const monthly = (await listPartitions(getPool())).filter((p) => !p.isDefault);
    for (let i = 1; i < monthly.length; i++) expect(monthly[i]!.from!.getTime()).toBeGreaterThanOrEqual(monthly[i - 1]!.to!.getTime());
  });

  it("concurrent creators of one month: one creates it, the other finds it made", async () => {
    const month = new Date(Date.UTC(2036, 2, 1));
    const results = await Promise.all([createMonthPartition(getPool(), month), createMonthPartition(getPool(), month)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("prunes dedup keys stored more than 48 h ago, keeping recent ones", async () => {
    const clientId = uid("k");
    const pool = getPool();
    await pool.query(
      `INSERT INTO playback_event_keys (client_id, seq, stored_at) VALUES ($1, 1, now() - interval '49 hours'), ($1, 2, now() - interval '47 hours'), ($1, 3, now())`,
      [clientId],
    );
    const pruned = await pruneEventKeys(pool, { batchSize: 1 });
    expect(pruned).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query("SELECT seq FROM playback_event_keys WHERE client_id = $1 ORDER BY seq", [clientId]);
    expect(rows.map((r) => r.seq)).toEqual([2, 3]);
  });
});
