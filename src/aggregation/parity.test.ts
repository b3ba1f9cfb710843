// Parity of the two event stores: the same fixture goes through the real ingestion core
// (validation, time correction, sessions at the door, group commit, dedup) once with raw events in
// PostgreSQL and once in ClickHouse, then through the aggregation job's work; every stream_stats
// figure (docs/metrics.md), the daily series, the per-minute concurrency and every
// session's figures must be equal.
import { expect, it } from "vitest";
import { chRows, getClickHouse, chString } from "~/lib/clickhouse/client";
import { getPool } from "~/lib/db/pool";
import { handleIngest, ingestDeps, type IngestRequest } from "~/ingest/handler";
import { createStream, uid } from "~/test/factories";
import { describeClickHouse, withStore } from "~/test/useClickHouse";
import { deliver, deliveries, prng, randomAudience, snapshot, type Audience, type Delivery } from "./audience.testkit";
import { aggregate } from "./job";

// The fixture says where its viewers are with Cloudflare's header, trusted here.
process.env.TRUSTED_GEO_HEADER = "cf-ipcountry";

const UA = {
  desktop: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  mobile: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  tablet: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
};

interface FixtureBatch {
  viewer: number;
  /** Receive time, seconds after the fixture's start. */
  at: number;
  ua: keyof typeof UA;
  country: string;
  events: { type: string; t: number; seq: number; extra?: Record<string, unknown> }[];
}

/** Deterministic viewers: playing with heartbeats, buffering, pauses, errors, resends, two sessions. */
function fixture(): FixtureBatch[] {
  const out: FixtureBatch[] = [];
  const countries = ["DE", "DE", "FR", "US", "ZZ", "CH", "DE", "FR"];
  const uas: (keyof typeof UA)[] = ["desktop", "mobile", "desktop", "tablet", "mobile", "desktop", "desktop", "mobile"];
  for (let v = 0; v < 8; v++) {
    let seq = 1;
    const start = v * 37; // staggered starts: overlapping sessions for concurrency
    const events: FixtureBatch["events"] = [{ type: "play", t: start, seq: seq++, extra: v % 3 === 2 ? undefined : { startupMs: 400 + v * 111.5 } }];
    const len = 60 + v * 45;
    for (let t = 15; t <= len; t += 15) {
      if (v % 2 === 1 && t === 30) {
        events.push({ type: "buffer_start", t: start + t - 3, seq: seq++ }, { type: "buffer_end", t: start + t + 2 + v, seq: seq++ });
      }
      if (v === 4 && t === 45) events.push({ type: "pause", t: start + t - 1, seq: seq++ }, { type: "play", t: start + t + 90, seq: seq++ });
      if (v % 4 === 3 && t === 60) events.push({ type: "error", t: start + t - 2, seq: seq++, extra: { code: "MEDIA_ERR", message: "decode" } });
      events.push({ type: "heartbeat", t: start + t + (v === 4 && t >= 45 ? 90 : 0), seq: seq++ });
    }
    if (v % 2 === 0) events.push({ type: "ended", t: events[events.length - 1]!.t + 4, seq: seq++ });
    // Batches of up to 4 events, sent 1 s after their last event; one batch sent twice.
    for (let i = 0; i < events.length; i += 4) {
      const chunk = events.slice(i, i + 4);
      const batch = { viewer: v, at: chunk[chunk.length - 1]!.t + 1, ua: uas[v]!, country: countries[v]!, events: chunk };
      out.push(batch);
      if (i === 4) out.push({ ...batch, at: batch.at + 7 });
    }
    // Viewer 6 comes back after 40 minutes: a second session.
    if (v === 6) {
      const back = start + len + 40 * 60;
      out.push({
        viewer: v, at: back + 31, ua: uas[v]!, country: countries[v]!,
        events: [{ type: "play", t: back, seq: seq++, extra: { startupMs: 999 } }, { type: "heartbeat", t: back + 15, seq: seq++ }, { type: "heartbeat", t: back + 30, seq: seq++ }],
      });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

function request(body: string, b: FixtureBatch): IngestRequest {
  const headers: Record<string, string> = {
    "content-type": "text/plain;charset=UTF-8",
    "user-agent": UA[b.ua],
    "cf-ipcountry": b.country,
    "x-forwarded-for": `198.51.100.${b.viewer + 1}`,
  };
  return {
    method: "POST",
    header: (name: string) => headers[name.toLowerCase()] ?? null,
    socketAddress: `198.51.100.${b.viewer + 1}`,
    readBody: async () => Buffer.from(body),
  };
}

async function ingestFixture(streamId: string, clients: string[], t0: number) {
  const answers: unknown[] = [];
  for (const b of fixture()) {
    const receivedAt = t0 + b.at * 1000;
    const body = JSON.stringify({
      streamId,
      clientId: clients[b.viewer],
      sentAt: receivedAt,
      events: b.events.map((e) => ({ type: e.type, ts: t0 + e.t * 1000, videoTime: e.t, seq: e.seq, ...(e.extra ? { extra: e.extra } : {}) })),
    });
    const res = await handleIngest(request(body, b), { ...ingestDeps(), now: () => receivedAt });
    expect(res.status, res.body).toBe(202);
    answers.push(JSON.parse(res.body));
  }
  return answers;
}

async function figures(streamId: string) {
  const pool = getPool();
  const strip = (r: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
  const stats = (await pool.query("SELECT * FROM stream_stats WHERE stream_id = $1", [streamId])).rows[0];
  const daily = (await pool.query("SELECT * FROM stream_daily_stats WHERE stream_id = $1 ORDER BY day", [streamId])).rows;
  const minutes = (await pool.query("SELECT minute, viewers FROM stream_concurrency WHERE stream_id = $1 ORDER BY minute", [streamId])).rows;
  const sessions = (await pool.query("SELECT * FROM viewer_sessions WHERE stream_id = $1 ORDER BY client_id, started_at", [streamId])).rows;
  return {
    stats: stats && strip(stats, ["stream_id", "last_calculated_at"]),
    daily: daily.map((d) => strip(d, ["stream_id", "updated_at"])),
    minutes,
    sessions: sessions.map((s) => strip(s, ["id", "stream_id", "created_at", "updated_at", "finalized_at"])),
  };
}

describeClickHouse("PostgreSQL and ClickHouse event stores", () => {
  it("give equal stream_stats, daily series, concurrency and session figures for the same ingested fixture", async () => {
    const pgStream = await createStream();
    const chStream = await createStream();
    const clients = Array.from({ length: 8 }, () => uid("viewer"));
    // Three hours ago, on a whole second: every session but none is final by the job's 30-min rule.
    const t0 = Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000;

    const pgAnswers = await withStore("postgres", () => ingestFixture(pgStream.id, clients, t0));
    // Each store as a deployment of its own would see the fixture: the dedup keys (PostgreSQL's
    // playback_event_keys, for either store) of the first run are not the second's.
    await getPool().query("DELETE FROM playback_event_keys WHERE client_id = ANY($1)", [clients]);
    const chAnswers = await withStore("clickhouse", () => ingestFixture(chStream.id, clients, t0));
    // Same answers, including the resent batches' duplicates.
    expect(chAnswers).toEqual(pgAnswers);
    expect(pgAnswers.filter((a) => (a as { duplicates: number }).duplicates > 0)).toHaveLength(8);

    // Raw events went only to their store.
    const pool = getPool();
    const count = async (id: string) => Number((await pool.query("SELECT count(*) AS n FROM playback_events WHERE stream_id = $1", [id])).rows[0].n);
    const inCh = async (id: string) =>
      Number((await chRows<{ n: string }>(getClickHouse(), `SELECT count() AS n FROM playback_events FINAL WHERE stream_id = ${chString(id)}`))[0]!.n);
    const stored = await count(pgStream.id);
    expect(stored).toBeGreaterThan(100);
    await withStore("clickhouse", async () => {
      expect(await count(chStream.id)).toBe(0);
      expect(await inCh(chStream.id)).toBe(stored);
    });

    // Provisional (open) session figures at the door are equal too.
    const provisional = [(await figures(pgStream.id)).sessions, (await figures(chStream.id)).sessions];
    expect(provisional[1]).toEqual(provisional[0]);

    const progress = () => {};
    const pgRun = await withStore("postgres", () => aggregate({ progress }, { streamIds: [pgStream.id], full: true }));
    const chRun = await withStore("clickhouse", () => aggregate({ progress }, { streamIds: [chStream.id], full: true }));
    expect(chRun).toMatchObject({ finalizedSessions: pgRun.finalizedSessions, walkedEvents: pgRun.walkedEvents, sessions: 9 });
    expect(pgRun.finalizedSessions).toBe(9);

    const a = await figures(pgStream.id);
    const b = await figures(chStream.id);
    expect(a.stats).toBeDefined();
    // Every metrics.md figure, one by one (clear failures), then everything at once.
    for (const key of ["unique_viewers", "sessions", "events", "total_watch_seconds", "own_watch_seconds", "avg_watch_seconds",
      "peak_concurrent_viewers", "peak_concurrent_at", "buffer_seconds", "buffer_ratio", "error_sessions", "error_rate",
      "startup_ms_avg", "startup_ms_p95", "top_countries", "devices", "first_session_at", "last_event_at"]) {
      expect(b.stats![key], key).toEqual(a.stats![key]);
    }
    expect(b).toEqual(a);
    // Both runs re-sessionized the same flagged viewers (the odd viewers' buffer_end lands after the
    // next heartbeat's time, a batch later: out of order), then kept every exact walk…
    expect(pgRun).toMatchObject({ resessionizedViewers: 4, walkedSessions: 0, keptSessions: 9 });
    expect(chRun).toMatchObject({ resessionizedViewers: 4, walkedSessions: 0, keptSessions: 9 });
    // …and walking every session again from its events, in each store, changes no figure.
    const pgRewalk = await withStore("postgres", () => aggregate({ progress }, { streamIds: [pgStream.id], full: true, rewalk: true }));
    const chRewalk = await withStore("clickhouse", () => aggregate({ progress }, { streamIds: [chStream.id], full: true, rewalk: true }));
    expect(pgRewalk).toMatchObject({ walkedSessions: 9, keptSessions: 0, walkedEvents: stored });
    expect(chRewalk).toMatchObject({ walkedSessions: 9, keptSessions: 0, walkedEvents: stored });
    const near = (x: Awaited<ReturnType<typeof figures>>) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v)));
    expect(near(await figures(pgStream.id))).toEqual(near(a));
    expect(near(await figures(chStream.id))).toEqual(near(a));
    // The figures are real: 8 viewers, 9 sessions, some buffering and errors, 4 countries.
    expect(a.stats).toMatchObject({ unique_viewers: 8, sessions: 9, error_sessions: 2 });
    expect(a.stats!.buffer_ratio).toBeGreaterThan(0);
    expect(a.stats!.peak_concurrent_viewers).toBeGreaterThan(1);
    expect((a.stats!.top_countries as unknown[]).length).toBe(5);
  });
});

/** One delivery of the audience into fresh streams and viewers, then the job (scoped to them, whole). */
async function deliverAndAggregate(a: Audience, d: Delivery) {
  const streams = await Promise.all(Array.from({ length: a.streams }, () => createStream()));
  const tag = uid("pd").slice(3, 9);
  const ids = { streams: streams.map((s) => s.id), clients: Array.from({ length: a.viewers }, (_, v) => `pd${tag}v${v}`) };
  await deliver(d, ids);
  const run = await aggregate({ progress: () => {} }, { streamIds: ids.streams, full: true });
  return { ids, run, snap: await snapshot(ids) };
}

describeClickHouse("ClickHouse as the event store, batches out of order", () => {
  it("random order (c) and duplicates with client clock skew (d) into ClickHouse give the figures of in-order delivery into PostgreSQL; events follow their sessions", async () => {
    const r = prng(14_2026);
    const audience = randomAudience(r, { viewers: 12, streams: 2, base: Math.floor((Date.now() - 14 * 3600_000) / 1000) * 1000 });
    const [inOrder, , random, dup] = deliveries(audience, r);
    const a = await withStore("postgres", () => deliverAndAggregate(audience, inOrder!));
    for (const d of [random!, dup!]) {
      const x = await withStore("clickhouse", () => deliverAndAggregate(audience, d));
      expect(x.run.resessionizedViewers, d.name).toBeGreaterThan(0);
      expect(x.snap, d.name).toEqual(a.snap);
      // Every ClickHouse event points at a stored session of its viewer, and each session's count is its events'.
      const sessions = (await getPool().query("SELECT id, client_id, event_count FROM viewer_sessions WHERE stream_id = ANY($1)", [x.ids.streams])).rows;
      const counts = await withStore("clickhouse", () =>
        chRows<{ session_id: string; n: string }>(
          getClickHouse(),
          `SELECT toString(session_id) AS session_id, count() AS n FROM playback_events FINAL
           WHERE stream_id IN (${x.ids.streams.map(chString).join(", ")}) GROUP BY session_id`,
        ),
      );
      expect(new Map(counts.map((c) => [c.session_id, Number(c.n)])), d.name).toEqual(new Map(sessions.map((s) => [s.id, s.event_count])));
    }
  }, 120_000);
});
