// Retention against PostgreSQL: only raw events older than the cutoff AND covered (stream_stats
// calculated after them, their session finalized) go; whole partitions are dropped when all their
// rows qualify, rows are deleted otherwise (and in the default partition); --dry-run removes nothing;
// sessions and aggregates stay. Test files share one database: the old months used here (2019–2020)
// are nobody else's, and assertions look at this file's own rows.
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createMonthPartition, listPartitions } from "~/partitions/partitions";
import { createStream, uid } from "~/test/factories";
import { applyRetention, retentionCutoff } from "./retention";

const pool = () => getPool();

async function session(streamId: string, clientId: string, at: Date, finalized: boolean): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, device_class, finalized_at)
     VALUES ($1, $2, $3, $3, 'desktop', $4) RETURNING id`,
    [streamId, clientId, at, finalized ? new Date() : null],
  );
  return rows[0]!.id;
}

let seq = 1;
async function events(streamId: string, clientId: string, sessionId: string, times: Date[]) {
  await pool().query(
    `INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time)
     SELECT $1, $2, $3, s, 'heartbeat', a, 0, 0 FROM unnest($4::int[], $5::timestamptz[]) AS u(s, a)`,
    [streamId, clientId, sessionId, times.map(() => seq++), times],
  );
}

async function stats(streamId: string, calculatedAt: Date) {
  await pool().query(
    `INSERT INTO stream_stats (stream_id, last_calculated_at) VALUES ($1, $2)
     ON CONFLICT (stream_id) DO UPDATE SET last_calculated_at = EXCLUDED.last_calculated_at`,
    [streamId, calculatedAt],
  );
}

async function count(clientId: string): Promise<number> {
  const { rows } = await pool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]);
  return rows[0].n;
}

const d = (y: number, m: number, day = 10) => new Date(Date.UTC(y, m - 1, day, 12));

describe("retention cutoff", () => {
  it("goes back calendar months in UTC, clamping the day", () => {
    expect(retentionCutoff(new Date("2026-11-24T10:00:00Z"), 13).toISOString()).toBe("2025-10-24T10:00:00.000Z");
    expect(retentionCutoff(new Date("2026-03-31T00:00:00Z"), 1).toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(retentionCutoff(new Date("2026-01-15T00:00:00Z"), 13).toISOString()).toBe("2024-12-15T00:00:00.000Z");
  });
});

describe("retention of raw events", () => {
  it("removes only old covered events: whole partitions dropped, rows deleted in partitions with uncovered rows and in the default one; dry-run removes nothing", async () => {
    // March 2019: a partition whose rows are all covered → dropped whole.
    // April 2019: a partition with one covered and one uncovered viewer → covered rows deleted, partition kept.
    // August 2019 (no partition: the default one): covered rows deleted, uncovered kept.
    await createMonthPartition(pool(), d(2019, 3));
    await createMonthPartition(pool(), d(2019, 4));

    const covered = await createStream({ status: "ended" });
    const open = await createStream({ status: "ended" }); // its session is still open
    const stale = await createStream({ status: "ended" }); // stats computed BEFORE its events
    const fresh = await createStream({ status: "live" }); // recent events: never old enough

    const cMarch = uid("c"), cApril = uid("c"), cAug = uid("c");
    await events(covered.id, cMarch, await session(covered.id, cMarch, d(2019, 3), true), [d(2019, 3, 2), d(2019, 3, 20)]);
    await events(covered.id, cApril, await session(covered.id, cApril, d(2019, 4), true), [d(2019, 4, 5), d(2019, 4, 6)]);
    await events(covered.id, cAug, await session(covered.id, cAug, d(2019, 8), true), [d(2019, 8, 1), d(2019, 8, 2), d(2019, 8, 3)]);
    await stats(covered.id, new Date());

    const oOpen = uid("o");
    await events(open.id, oOpen, await session(open.id, oOpen, d(2019, 4), false), [d(2019, 4, 7)]);
    await stats(open.id, new Date());
    const oOpenAug = uid("o");
    await events(open.id, oOpenAug, await session(open.id, oOpenAug, d(2019, 8), false), [d(2019, 8, 9)]);

    const sStale = uid("s");
    await events(stale.id, sStale, await session(stale.id, sStale, d(2019, 8), true), [d(2019, 8, 20)]);
    await stats(stale.id, d(2019, 8, 15)); // calculated before the event

    const fNew = uid("f");
    await events(fresh.id, fNew, await session(fresh.id, fNew, new Date(), true), [new Date(Date.now() - 60_000)]);
    await stats(fresh.id, new Date());

    const before = { cMarch: 2, cApril: 2, cAug: 3, oOpen: 1, oOpenAug: 1, sStale: 1, fNew: 1 };
    const all = { cMarch, cApril, cAug, oOpen, oOpenAug, sStale, fNew };
    const counts = async () =>
      Object.fromEntries(await Promise.all(Object.entries(all).map(async ([k, c]) => [k, await count(c)] as const)));
    expect(await counts()).toEqual(before);
    const sessionsBefore = await pool().query("SELECT count(*)::int AS n FROM viewer_sessions WHERE stream_id = ANY($1)", [
      [covered.id, open.id, stale.id, fresh.id],
    ]);

    // Dry run: lists the March partition as a drop and the April one as row deletes; removes nothing.
    const dry = await applyRetention(pool(), { months: 13, dryRun: true });
    expect(dry.dryRun).toBe(true);
    const march = dry.items.find((i) => i.table === "event_partitions.playback_events_2019_03");
    const april = dry.items.find((i) => i.table === "event_partitions.playback_events_2019_04");
    expect(march).toEqual({ table: "event_partitions.playback_events_2019_03", action: "drop", rows: 2, keptUncovered: 0 });
    expect(april).toEqual({ table: "event_partitions.playback_events_2019_04", action: "delete", rows: 2, keptUncovered: 1 });
    expect(dry.removedRows).toBeGreaterThanOrEqual(2 + 2 + 3);
    expect(await counts()).toEqual(before);
    expect((await listPartitions(pool())).map((p) => p.name)).toContain("playback_events_2019_03");

    // The real run.
    const run = await applyRetention(pool(), { months: 13, batchSize: 2 });
    expect(run.dryRun).toBe(false);
    expect(run.items).toContainEqual({ table: "event_partitions.playback_events_2019_03", action: "drop", rows: 2, keptUncovered: 0 });
    expect(await counts()).toEqual({ cMarch: 0, cApril: 0, cAug: 0, oOpen: 1, oOpenAug: 1, sStale: 1, fNew: 1 });
    const parts = (await listPartitions(pool())).map((p) => p.name);
    expect(parts).not.toContain("playback_events_2019_03");
    expect(parts).toContain("playback_events_2019_04"); // still holds the open session's event

    // Sessions and aggregates are kept.
    const sessionsAfter = await pool().query("SELECT count(*)::int AS n FROM viewer_sessions WHERE stream_id = ANY($1)", [
      [covered.id, open.id, stale.id, fresh.id],
    ]);
    expect(sessionsAfter.rows[0].n).toBe(sessionsBefore.rows[0].n);
    const st = await pool().query("SELECT count(*)::int AS n FROM stream_stats WHERE stream_id = ANY($1)", [[covered.id, open.id, stale.id, fresh.id]]);
    expect(st.rows[0].n).toBe(4);

    // Once the open session is finalized and stats recomputed after its events, they go too.
    await pool().query("UPDATE viewer_sessions SET finalized_at = now() WHERE stream_id = $1", [open.id]);
    await stats(stale.id, new Date());
    await applyRetention(pool(), { months: 13 });
    expect(await counts()).toEqual({ cMarch: 0, cApril: 0, cAug: 0, oOpen: 0, oOpenAug: 0, sStale: 0, fNew: 1 });
  });

  it("with a longer retention, the same old events are kept", async () => {
    const stream = await createStream({ status: "ended" });
    const c = uid("c");
    await events(stream.id, c, await session(stream.id, c, d(2020, 2), true), [d(2020, 2, 3)]);
    await stats(stream.id, new Date());
    const now = new Date();
    const monthsBack = (now.getUTCFullYear() - 2020) * 12 + now.getUTCMonth() - 1 + 2; // cutoff before Feb 2020
    await applyRetention(pool(), { months: monthsBack });
    expect(await count(c)).toBe(1);
    await applyRetention(pool(), { months: 13 });
    expect(await count(c)).toBe(0);
  });
});
