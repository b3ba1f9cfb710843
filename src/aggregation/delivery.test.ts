// The delivery property (docs/metrics.md "Delivery"): every figure is a function of the set of
// distinct events and their corrected times. Random audiences (several streams, viewers coming back
// 30 min or more later, pauses just under 30 min, buffering, errors, countries, devices) go through
// the real ingestion core five ways — (a) in order, (b) neighbouring batches swapped, (c) random
// order, (d) random duplicates and per-client clock skew, (e) re-batched at random sizes — with an
// aggregation run halfway and one at the end (incremental); every stored figure (sessions,
// stream_stats with countries and devices, daily rows, per-minute concurrency) must equal (a)'s
// and the reference computed here from docs/metrics.md. Runs on the harness's database (PostgreSQL
// or the embedded one). DELIVERY_SEED=<n> replays or explores another run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { bufferRatio, errorRate } from "~/contract";
import { deliver, deliveries, prng, randomAudience, referenceMinutes, referenceSessions, snapshot, type Audience, type Delivery, type Snapshot } from "./audience.testkit";
import { runAggregation } from "./job";
import { resessionize } from "./resessionize";

process.env.TRUSTED_GEO_HEADER = "cf-ipcountry";

const SEED = Number(process.env.DELIVERY_SEED ?? 20_261_214);

/** A run of the job for these streams (recorded, so the next one is incremental); waits out another test's run. */
async function job(streamIds: string[]) {
  for (;;) {
    const out = await runAggregation("cli", { streamIds });
    if (out.status === "succeeded") return out.figures;
    if (out.status === "failed") throw new Error(`aggregation failed: ${out.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(a: Audience, d: Delivery): Promise<{ ids: { streams: string[]; clients: string[] }; snap: Snapshot }> {
  const streams = await Promise.all(Array.from({ length: a.streams }, () => createStream()));
  const tag = uid("dl").slice(3, 9);
  const ids = { streams: streams.map((s) => s.id), clients: Array.from({ length: a.viewers }, (_, v) => `dl${tag}v${v}`) };
  // Halfway, a run of the job (the first for these streams: full); at the end the next (incremental).
  const half = Math.floor(d.batches.length / 2);
  await deliver(d, ids, { to: half });
  await job(ids.streams);
  await deliver(d, ids, { from: half });
  const last = await job(ids.streams);
  expect(last.mode, d.name).toBe("incremental");
  const flags = await getPool().query("SELECT count(*)::int AS n FROM viewer_session_flags WHERE stream_id = ANY($1)", [ids.streams]);
  expect(flags.rows[0].n, `${d.name}: flags left`).toBe(0);
  return { ids, snap: await snapshot(ids) };
}

/** The stored figures against the reference computed from docs/metrics.md. */
function expectReference(a: Audience, snap: Snapshot, name: string) {
  const ref = referenceSessions(a);
  expect(
    snap.sessions.map((s) => [s.stream, s.viewer, s.started_at, s.ended_at, s.event_count, s.watch_seconds, s.buffer_seconds, s.has_error, s.startup_ms, s.country, s.device_class]),
    `${name}: sessions`,
  ).toEqual(
    ref.map((s) => [s.stream, s.viewer, s.start, s.end, s.events, Math.round(s.watch * 1e6) / 1e6, Math.round(s.buffer * 1e6) / 1e6, s.error, s.startup, s.country, s.device]),
  );
  expect(snap.sessions.every((s) => s.needs_rewalk === false), `${name}: every session exact`).toBe(true);
  for (let stream = 0; stream < a.streams; stream++) {
    const mine = ref.filter((s) => s.stream === stream);
    const stats = snap.stats.find((s) => s.stream === stream);
    if (!mine.length) {
      expect(stats, `${name}: stream ${stream} has no row`).toBeUndefined();
      continue;
    }
    const watch = mine.reduce((x, s) => x + s.watch, 0);
    const buffer = mine.reduce((x, s) => x + s.buffer, 0);
    const errors = mine.filter((s) => s.error).length;
    const minutes = referenceMinutes(mine);
    const peak = Math.max(...minutes.values());
    const countries = new Map<string, number>();
    for (const s of mine) countries.set(s.country, (countries.get(s.country) ?? 0) + 1);
    const devices = { desktop: 0, mobile: 0, tablet: 0, tv: 0, other: 0 };
    for (const s of mine) devices[s.device]++;
    expect(stats, `${name}: stream ${stream}`).toMatchObject({
      sessions: mine.length,
      unique_viewers: new Set(mine.map((s) => s.viewer)).size,
      error_sessions: errors,
      peak_concurrent_viewers: peak,
      devices,
    });
    expect(Number(stats!.events), `${name}: stream ${stream} events`).toBe(mine.reduce((x, s) => x + s.events, 0));
    expect(stats!.own_watch_seconds as number, `${name}: stream ${stream} watch`).toBeCloseTo(watch, 5);
    expect(stats!.buffer_ratio as number, `${name}: stream ${stream} buffer ratio`).toBeCloseTo(bufferRatio(buffer, watch), 5);
    expect(stats!.error_rate as number, `${name}: stream ${stream} error rate`).toBeCloseTo(errorRate(errors, mine.length), 5);
    const top = stats!.top_countries as { country: string; sessions: number }[];
    expect(new Map(top.map((c) => [c.country, c.sessions])), `${name}: stream ${stream} countries`).toEqual(countries);
    expect(
      snap.minutes.filter((m) => m.stream === stream).map((m) => [m.minute, m.viewers]),
      `${name}: stream ${stream} per-minute concurrency`,
    ).toEqual([...minutes].sort((x, y) => x[0] - y[0]));
    const perDay = new Map<number, number>();
    for (const s of mine) {
      const day = Math.floor(s.start / 86_400_000) * 86_400_000;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const days = snap.daily.filter((d) => d.stream === stream);
    expect(new Map(days.filter((d) => Number(d.sessions) > 0).map((d) => [Number(d.day), d.sessions])), `${name}: stream ${stream} daily sessions`).toEqual(perDay);
  }
}

describe("delivery: figures from the event set, never from arrival order", () => {
  it("in order, neighbours swapped, random order, duplicates with clock skew, re-batched: every figure equal, and equal to metrics.md's walk", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const r = prng(seed);
        // Starting 14 h ago (viewers start within 3 h and watch for a few): most sessions are closed,
        // a few may still be open (they count with their figures so far); some days straddle midnight.
        const base = Math.floor((Date.now() - 14 * 3600_000) / 1000) * 1000 + Math.floor(r() * 1000);
        const audience = randomAudience(r, { viewers: 10 + Math.floor(r() * 8), streams: 3, base });
        const runs: { name: string; snap: Snapshot }[] = [];
        for (const d of deliveries(audience, r)) runs.push({ name: d.name, snap: (await run(audience, d)).snap });
        const [a, ...rest] = runs;
        expectReference(audience, a!.snap, a!.name);
        for (const x of rest) expect(x.snap, x.name).toEqual(a!.snap);
      }),
      { seed: SEED, numRuns: 2, endOnFailure: true },
    );
  }, 120_000);

  it("re-sessionizing while batches of the same viewers arrive (the door's lock): the final figures are still metrics.md's", async () => {
    const r = prng(SEED + 1);
    const base = Math.floor((Date.now() - 14 * 3600_000) / 1000) * 1000;
    const audience = randomAudience(r, { viewers: 12, streams: 2, base });
    const random = deliveries(audience, r)[2]!;
    const streams = await Promise.all(Array.from({ length: audience.streams }, () => createStream()));
    const ids = { streams: streams.map((s) => s.id), clients: Array.from({ length: audience.viewers }, (_, v) => `dlc${uid("x").slice(2, 8)}v${v}`) };
    let sending = true;
    let passes = 0;
    const rounds = (async () => {
      while (sending) {
        await resessionize(getPool(), { streamIds: ids.streams });
        passes++;
      }
    })();
    await deliver({ ...random, wave: 4 }, ids);
    sending = false;
    await rounds;
    expect(passes).toBeGreaterThan(1);
    await job(ids.streams);
    expectReference(audience, await snapshot(ids), "re-sessionized during delivery");
  }, 60_000);
});
