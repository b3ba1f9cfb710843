// Backfill PostgreSQL → ClickHouse (npm run clickhouse:backfill) and partition retention.
import { expect, it } from "vitest";
import { insertSession, playing } from "~/aggregation/walk.testkit";
import { walkSessionsInSql } from "~/aggregation/walkSql";
import { walkSessionsClickHouse } from "~/aggregation/queries/walkClickHouse";
import { toClickHouseRow } from "~/lib/clickhouse/rows";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { clickhouseUrl, describeClickHouse, withStore } from "~/test/useClickHouse";
import { backfillClickHouse } from "./backfill";
import { chRows, chString, createClickHouse } from "./client";
import { dropExpiredPartitions, firstKeptMonth } from "./retention";

describeClickHouse("ClickHouse backfill and retention", () => {
  it("copies a stream's events with progress; a second run adds no visible copies; the walk agrees with PostgreSQL's", async () => {
    const stream = await createStream();
    const base = new Date("2026-11-23T08:00:00.000Z");
    const sessions: { id: string; clientId: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const clientId = uid("c");
      const events = [...playing(60 + i * 30, 0, 500 + i), { type: "buffer_start" as const, t: 200 + i * 30 }, { type: "buffer_end" as const, t: 204 + i * 30 }];
      sessions.push({ id: await insertSession({ streamId: stream.id, clientId, base, events }), clientId });
    }
    const ch = createClickHouse(clickhouseUrl);
    const seen: number[] = [];
    const first = await backfillClickHouse(getPool(), ch, { streamIds: [stream.id], batchSize: 10, progress: (p) => seen.push(p.copied) });
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE stream_id = $1", [stream.id]);
    expect(first).toMatchObject({ copied: rows[0].n, total: rows[0].n });
    expect(seen.length).toBe(Math.ceil(rows[0].n / 10));
    await backfillClickHouse(getPool(), ch, { streamIds: [stream.id] });
    const [c] = await chRows<{ n: string }>(ch, `SELECT count() AS n FROM playback_events FINAL WHERE stream_id = ${chString(stream.id)}`);
    expect(Number(c!.n)).toBe(rows[0].n);

    const fromPg = await walkSessionsInSql(getPool(), sessions.map((s) => s.id));
    const fromCh = await withStore("clickhouse", () => walkSessionsClickHouse(sessions.map((s) => ({ id: s.id, streamId: stream.id, clientId: s.clientId }))));
    const byId = (xs: typeof fromPg) => [...xs].sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    expect(byId(fromCh)).toEqual(byId(fromPg));
    await ch.close();
  });

  it("drops whole months older than RETENTION_MONTHS", async () => {
    expect(firstKeptMonth(13, new Date("2026-11-24T00:00:00Z"))).toBe(202510);
    expect(firstKeptMonth(1, new Date("2026-01-31T00:00:00Z"))).toBe(202512);
    const ch = createClickHouse(clickhouseUrl);
    const streamId = uid("stream");
    const row = (iso: string, seq: number) =>
      toClickHouseRow({ streamId, clientId: "c_old", sessionId: "00000000-0000-0000-0000-000000000001", seq, type: "heartbeat", at: Date.parse(iso), ts: 0, videoTime: 0, extra: null }, 1);
    await ch.insert({ table: "playback_events", format: "JSONEachRow", values: [row("2024-01-15T00:00:00Z", 1), row("2024-02-15T00:00:00Z", 2)] });
    const dropped = await dropExpiredPartitions(ch, 13, new Date("2025-03-10T00:00:00Z"));
    expect(dropped.dropped).toEqual(["202401"]);
    const left = await chRows<{ seq: string }>(ch, `SELECT seq FROM playback_events WHERE stream_id = ${chString(streamId)}`);
    expect(left.map((r) => Number(r.seq))).toEqual([2]);
    await ch.close();
  });

  it("a month goes only once PostgreSQL's sessions and stats cover it; dry-run drops nothing", async () => {
    const ch = createClickHouse(clickhouseUrl);
    const stream = await createStream();
    const base = new Date("2023-05-10T08:00:00.000Z");
    const sessionId = await insertSession({ streamId: stream.id, clientId: uid("c"), base, events: playing(60) });
    const row = (seq: number) =>
      toClickHouseRow({ streamId: stream.id, clientId: "c_may", sessionId, seq, type: "heartbeat", at: base.getTime() + seq * 15_000, ts: 0, videoTime: 0, extra: null }, 1);
    await ch.insert({ table: "playback_events", format: "JSONEachRow", values: [row(1), row(2)] });
    const now = new Date("2024-09-01T00:00:00Z");
    const left = async () => (await chRows<{ n: string }>(ch, `SELECT count() AS n FROM playback_events WHERE stream_id = ${chString(stream.id)}`))[0]!.n;

    // The session is open: the month is kept.
    const pool = getPool();
    const open = await dropExpiredPartitions(ch, 13, now, { pool });
    expect(open.keptUncovered).toContain("202305");
    expect(open.dropped).not.toContain("202305");
    expect(Number(await left())).toBe(2);

    // Finalized and counted in the stream's stats: a dry run lists the month and removes nothing…
    await getPool().query("UPDATE viewer_sessions SET finalized_at = now() - interval '1 minute' WHERE id = $1", [sessionId]);
    await getPool().query("INSERT INTO stream_stats (stream_id, last_calculated_at) VALUES ($1, now())", [stream.id]);
    const dry = await dropExpiredPartitions(ch, 13, now, { pool, dryRun: true });
    expect(dry.dropped).toContain("202305");
    expect(Number(await left())).toBe(2);

    // …and a real run drops it.
    const real = await dropExpiredPartitions(ch, 13, now, { pool });
    expect(real.dropped).toContain("202305");
    expect(Number(await left())).toBe(0);
    await ch.close();
  });
});
