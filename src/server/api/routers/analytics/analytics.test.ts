import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db/prisma";
import { uid } from "~/test/factories";
import { createCaller } from "~/server/api/root";
import type { AuthSession } from "~/server/auth";
import { createAnalyticsFixture, D1, D2, D3, DESKTOP_UA, runJob, sendViewer, view } from "~/analytics/analytics.testkit";

const admin: AuthSession = { user: { id: "u_admin", role: "admin", email: "a@x" }, expires: "2999-01-01T00:00:00Z" };
const viewer: AuthSession = { user: { id: "u_user", role: "user", email: "u@x" }, expires: "2999-01-01T00:00:00Z" };
const asAdmin = createCaller({ session: admin });

let fx: Awaited<ReturnType<typeof createAnalyticsFixture>>;
beforeAll(async () => {
  fx = await createAnalyticsFixture();
});

describe("analytics.streams", () => {
  it("gives each stream's figures over the range, computed as the spec says", async () => {
    const res = await asAdmin.analytics.streams({ from: D1, to: D3, organizerId: fx.orgA.id, sort: "title", dir: "asc" });
    expect(res.total).toBe(3);
    expect(res.rows.map((r) => r.id)).toEqual([fx.s1.id, fx.s2.id, fx.s4.id]);
    const [s1, s2, s4] = res.rows;
    // S1: clients c1, c2, c1, c3 → 3 distinct; 300 + 300 + 200 + 200 = 1,000 s over 4 sessions.
    // c1 (10:00:00–10:05:00) and c2 (10:05:00–10:10:00) on D1 touch, [start, end) → peak 1, not 2.
    expect(s1).toMatchObject({ uniqueViewers: 3, sessions: 4, watchSeconds: 1000, avgWatchSeconds: 250, peakConcurrent: 1, provider: "bunny_stream", status: "ended" });
    // Buffering 30 s (c1, D1) + 10 s (c1, D2) over 1,000 s watched.
    expect(s1!.bufferRatio).toBeCloseTo(40 / 1000, 10);
    expect(s1!.errorRate).toBeCloseTo(0.25, 10);
    // Startup 1000 + 2000 + 3000 over the 3 views that have one (c3's play had none).
    expect(s1!.startupMsAvg).toBeCloseTo(6000 / 3, 10);
    // percentile_cont(0.95) of 1000, 2000, 3000 → 2000 + 0.9 · 1000.
    expect(s1!.startupMsP95).toBeCloseTo(2900, 6);
    // S2 in the range: c1 300 s (D2), c4 100 s (D3) → 400 s, 200 s a view; never two at once → peak 1.
    // (Its two viewers of today are outside the range.)
    expect(s2).toMatchObject({ uniqueViewers: 2, sessions: 2, watchSeconds: 400, avgWatchSeconds: 200, peakConcurrent: 1 });
    // c4 buffered 20 s of 400 → 0.05; c4's error → 1 of 2 views.
    expect(s2!.bufferRatio).toBeCloseTo(0.05, 10);
    expect(s2!.errorRate).toBeCloseTo(0.5, 10);
    expect(s2!.startupMsP95).toBeCloseTo(500 + 0.95 * 3500, 6);
    // Scheduled in the range, nobody watched: listed with zeros and no startup figure.
    expect(s4).toMatchObject({ uniqueViewers: 0, sessions: 0, watchSeconds: 0, avgWatchSeconds: 0, peakConcurrent: 0, bufferRatio: 0, errorRate: 0, startupMsAvg: null, startupMsP95: null });
  });

  it("counts only the days of the range", async () => {
    const res = await asAdmin.analytics.streams({ from: D2, to: D2, organizerId: fx.orgA.id, sort: "title", dir: "asc" });
    const s1 = res.rows.find((r) => r.id === fx.s1.id)!;
    expect(s1).toMatchObject({ uniqueViewers: 2, sessions: 2, watchSeconds: 400, peakConcurrent: 1 });
    const s2 = res.rows.find((r) => r.id === fx.s2.id)!;
    expect(s2).toMatchObject({ uniqueViewers: 1, sessions: 1, watchSeconds: 300, peakConcurrent: 1 });
  });

  it("filters by provider, status, organizer and title (wildcards matched literally)", async () => {
    const base = { from: D1, to: D3, q: fx.token };
    const ids = async (extra: Record<string, string>) => (await asAdmin.analytics.streams({ ...base, ...extra, sort: "title", dir: "asc" })).rows.map((r) => r.id);
    expect(await ids({})).toEqual([fx.s1.id, fx.s2.id, fx.s3.id, fx.s4.id]);
    expect(await ids({ provider: "youtube" })).toEqual([fx.s2.id, fx.s4.id]);
    expect(await ids({ status: "live" })).toEqual([fx.s2.id]);
    expect(await ids({ organizerId: fx.orgB.id })).toEqual([fx.s3.id]);
    expect(await ids({ q: `alpha 100% ${fx.token}` })).toEqual([fx.s1.id]);
    expect(await ids({ q: `alpha 1_0% ${fx.token}` })).toEqual([]);
    expect(await ids({ q: "%" , organizerId: fx.orgB.id })).toEqual([]);
  });

  it("sorts by any column both ways and pages", async () => {
    const q = { from: D1, to: D3, organizerId: fx.orgA.id };
    const byWatchAsc = await asAdmin.analytics.streams({ ...q, sort: "watchSeconds", dir: "asc" });
    expect(byWatchAsc.rows.map((r) => r.id)).toEqual([fx.s4.id, fx.s2.id, fx.s1.id]);
    // Peaks 1, 1, 0: the tie goes by title ("=Alpha…" before "Bravo…").
    const byPeakDesc = await asAdmin.analytics.streams({ ...q, sort: "peakConcurrent", dir: "desc" });
    expect(byPeakDesc.rows.map((r) => r.id)).toEqual([fx.s1.id, fx.s2.id, fx.s4.id]);
    // NULL startup figures go last whichever the direction.
    const byStartup = await asAdmin.analytics.streams({ ...q, sort: "startupMsAvg", dir: "asc" });
    expect(byStartup.rows.map((r) => r.id)).toEqual([fx.s1.id, fx.s2.id, fx.s4.id]);
    const page2 = await asAdmin.analytics.streams({ ...q, sort: "watchSeconds", dir: "desc", page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2, pageCount: 2 });
    expect(page2.rows.map((r) => r.id)).toEqual([fx.s4.id]);
    const past = await asAdmin.analytics.streams({ ...q, page: 9, pageSize: 2 });
    expect(past).toMatchObject({ total: 3, rows: [] });
  });

  it("rejects bad input naming the field", async () => {
    const err = await asAdmin.analytics.streams({ from: D3, to: D1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect((err as TRPCError).message).toContain("must be on or after from");
    await expect(asAdmin.analytics.streams({ from: "2025-02-30", to: D1 })).rejects.toThrow(/not a real day/);
    // @ts-expect-error an unknown sort key
    await expect(asAdmin.analytics.streams({ from: D1, to: D1, sort: "password" })).rejects.toThrow(/sort/);
    await expect(asAdmin.analytics.streams({ from: "2020-01-01", to: "2025-01-01" })).rejects.toThrow(/at most/);
  });
});

describe("analytics.summary", () => {
  it("totals the matching streams with distinct viewers, max peak, and the previous period", async () => {
    const res = await asAdmin.analytics.summary({ from: D2, to: D3, organizerId: fx.orgA.id });
    expect(res.previousRange).toEqual({ from: "2025-02-28", to: D1 });
    // Current D2–D3: clients c1 (S1 and S2), c3, c4 → 3, not 4; 200 + 200 + 300 + 100 = 800 s.
    expect(res.current).toMatchObject({ streams: 2, uniqueViewers: 3, sessions: 4, watchSeconds: 800, avgWatchSeconds: 200, peakConcurrent: 1 });
    // Buffering 10 (c1, S1) + 20 (c4) = 30 s; c4's error; startup 3000 + 500 + 4000 over 3 views.
    expect(res.current.bufferRatio).toBeCloseTo(30 / 800, 10);
    expect(res.current.errorRate).toBeCloseTo(1 / 4, 10);
    expect(res.current.startupMsAvg).toBeCloseTo(7500 / 3, 10);
    // Previous Feb 28 – Mar 1: S1's first day only (c1 and c2, touching: peak 1).
    expect(res.previous).toMatchObject({ streams: 1, uniqueViewers: 2, sessions: 2, watchSeconds: 600, avgWatchSeconds: 300, peakConcurrent: 1 });
    expect(res.previous.errorRate).toBeCloseTo(0.5, 10);
    expect(res.daily).toEqual([
      { day: D2, viewers: 2, sessions: 3, watchSeconds: 700 },
      { day: D3, viewers: 1, sessions: 1, watchSeconds: 100 },
    ]);
  });

  it("over all organizers counts a viewer of several streams once", async () => {
    const res = await asAdmin.analytics.summary({ from: D1, to: D3, q: fx.token });
    // c1–c5; 1,000 (S1) + 400 (S2) + 50 + 150 (S3) = 1,600 s; S3's c5 (D1 10:00–10:00:50) overlaps
    // S1's c1, but a peak is per stream → 1.
    expect(res.current).toMatchObject({ streams: 3, uniqueViewers: 5, sessions: 8, watchSeconds: 1600, peakConcurrent: 1 });
    // p95 of 500, 1000, 2000, 3000, 4000 → 3000 + 0.8 · 1000.
    expect(res.current.startupMsP95).toBeCloseTo(3800, 6);
    expect(res.previous).toMatchObject({ streams: 0, uniqueViewers: 0, sessions: 0, watchSeconds: 0, bufferRatio: 0, errorRate: 0, startupMsAvg: null, startupMsP95: null });
    expect(res.daily.map((d) => d.viewers)).toEqual([3, 2, 2]);
  });
});

describe("long ranges (planned without hash aggregation)", () => {
  it("give the same figures as a short range around the same data", async () => {
    const long = { from: "2025-01-15", to: "2025-04-14", organizerId: fx.orgA.id };
    const short = { from: D1, to: D3, organizerId: fx.orgA.id };
    const [a, b] = await Promise.all([asAdmin.analytics.streams({ ...long, sort: "title", dir: "asc" }), asAdmin.analytics.streams({ ...short, sort: "title", dir: "asc" })]);
    expect(a.rows).toEqual(b.rows);
    const [x, y] = await Promise.all([asAdmin.analytics.summary(long), asAdmin.analytics.summary(short)]);
    expect(x.current).toEqual(y.current);
    expect(x.daily.filter((d) => d.sessions > 0)).toEqual(y.daily);
    expect(x.daily).toHaveLength(90);
  });
});

describe("without any stream filter (the queries skip the stream join)", () => {
  // A year no other test writes to, so "every stream" is known here.
  it("gives the same figures as with the organizer filter", async () => {
    const org = await db.organizer.create({ data: { id: uid("org03"), name: uid("Org 2003"), slug: uid("org-2003") } });
    const s = await db.stream.create({ data: { id: uid("s03"), organizerId: org.id, title: "Old stream", status: "ended", startedAt: new Date("2003-06-01T10:00:00Z") } });
    // a 60 s from 10:00:00 (startup 800), b 60 s from 10:00:30 (startup 1200): together 10:00:30–10:01:00
    // → peak 2; a again the next day, 60 s without a startup figure.
    const who = { country: "DE", ua: DESKTOP_UA };
    await sendViewer(s.id, `${s.id}_a`, [...view(new Date("2003-06-01T10:00:00Z"), { watch: 60, startupMs: 800 }), ...view(new Date("2003-06-02T09:00:00Z"), { watch: 60 })], who);
    await sendViewer(s.id, `${s.id}_b`, view(new Date("2003-06-01T10:00:30Z"), { watch: 60, startupMs: 1200 }), who);
    await runJob([s.id]);
    for (const range of [{ from: "2003-06-01", to: "2003-06-02" }, { from: "2003-01-01", to: "2003-12-31" }]) {
      const all = await asAdmin.analytics.summary(range);
      const one = await asAdmin.analytics.summary({ ...range, organizerId: org.id });
      expect(all.current).toEqual(one.current);
      // 3 views of 60 s; startup (800 + 1200) / 2.
      expect(all.current).toMatchObject({ streams: 1, uniqueViewers: 2, sessions: 3, watchSeconds: 180, peakConcurrent: 2, startupMsAvg: 1000 });
      expect(all.current.startupMsP95).toBeCloseTo(800 + 0.95 * 400, 6);
      const rows = await asAdmin.analytics.streams(range);
      expect(rows.rows).toEqual((await asAdmin.analytics.streams({ ...range, organizerId: org.id })).rows);
      expect(rows.rows[0]).toMatchObject({ id: s.id, uniqueViewers: 2, sessions: 3, peakConcurrent: 2 });
    }
  });
});

describe("analytics.stream", () => {
  it("gives the stream's stats, series, countries and devices", async () => {
    const res = await asAdmin.analytics.stream({ id: fx.s1.id });
    expect(res.stream).toMatchObject({ id: fx.s1.id, isBunny: true, provider: "bunny_stream", organizer: { id: fx.orgA.id } });
    // Own 1,000 s; Bunny's 1,200 s merged as max(own, Bunny).
    expect(res.stats).toMatchObject({ uniqueViewers: 3, sessions: 4, totalWatchSeconds: 1200, ownWatchSeconds: 1000, bunnyWatchSeconds: 1200, peakConcurrent: 1 });
    expect(res.stats!.peakConcurrentAt).toEqual(new Date(`${D1}T10:00:00Z`));
    expect(res.countries).toEqual([{ country: "DE", sessions: 3, watchSeconds: 800 }, { country: "FR", sessions: 1, watchSeconds: 200 }]);
    expect(res.devices).toEqual([
      { device: "desktop", sessions: 3 },
      { device: "mobile", sessions: 1 },
      { device: "tablet", sessions: 0 },
      { device: "tv", sessions: 0 },
      { device: "other", sessions: 0 },
    ]);
    // Minutes with a viewer: D1 10:00–10:09 (c1 then c2; 10:10 has none, c2 ends at 10:10:00),
    // D2 12:00–12:03 (c1 until 12:03:20) and 13:00–13:03 (c3). 10:00 on D1 to 13:03 on D2 is
    // 1,623 minutes → buckets of 3 minutes, zeros in between.
    expect(res.concurrency.bucketMinutes).toBe(3);
    const pts = res.concurrency.points;
    expect(pts[0]).toEqual({ t: new Date(`${D1}T10:00:00Z`), viewers: 1 });
    expect(pts.at(-1)).toEqual({ t: new Date(`${D2}T13:03:00Z`), viewers: 1 });
    // 1,623 minutes / 3 + 1 points; viewers in buckets 10:00, 10:03, 10:06, 10:09, 12:00, 12:03,
    // 13:00 and 13:03 → 8 buckets of 1.
    expect(pts.length).toBe(542);
    expect(pts.reduce((n, p) => n + p.viewers, 0)).toBe(8);
    expect(res.daily).toEqual([
      { day: D1, viewers: 2, sessions: 2, watchSeconds: 600, bufferRatio: 0.05, errorRate: 0.5, peakConcurrent: 1 },
      { day: D2, viewers: 2, sessions: 2, watchSeconds: 400, bufferRatio: 0.025, errorRate: 0, peakConcurrent: 1 },
    ]);
    expect(res.quality.unit).toBe("hour");
    expect(res.quality.points).toEqual([
      { t: new Date(`${D1}T10:00:00Z`), sessions: 2, bufferRatio: 0.05, errorRate: 0.5, startupMsAvg: 1500 },
      { t: new Date(`${D2}T12:00:00Z`), sessions: 1, bufferRatio: 0.05, errorRate: 0, startupMsAvg: 3000 },
      { t: new Date(`${D2}T13:00:00Z`), sessions: 1, bufferRatio: 0, errorRate: 0, startupMsAvg: null },
    ]);
  });

  it("answers a stream the job has not seen yet with empty figures", async () => {
    const res = await asAdmin.analytics.stream({ id: fx.s4.id });
    expect(res.stream.isBunny).toBe(false);
    expect(res.stats).toBeNull();
    expect(res.concurrency.points).toEqual([]);
    expect(res.daily).toEqual([]);
    expect(res.quality.points).toEqual([]);
    expect(res.devices.every((d) => d.sessions === 0)).toBe(true);
  });

  it("answers NOT_FOUND for an unknown stream", async () => {
    await expect(asAdmin.analytics.stream({ id: "no-such-stream" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("analytics.live", () => {
  it("counts the sessions with an event in the last 60 s per live stream", async () => {
    const res = await asAdmin.analytics.live({ organizerId: fx.orgA.id });
    expect(res.streams.map((s) => [s.id, s.currentViewers])).toEqual([
      [fx.s2.id, 1],
      [fx.s6.id, 0],
    ]);
    expect(res.totalCurrentViewers).toBe(1);
    expect(res.windowSeconds).toBe(60);
    expect(res.streams[0]).toMatchObject({ sessionsLastHour: 2, provider: "youtube", organizer: { id: fx.orgA.id } });
  });
});

describe("analytics.organizers", () => {
  it("lists organizers by name", async () => {
    const res = await asAdmin.analytics.organizers();
    const mine = res.filter((o) => o.name.endsWith(fx.token));
    expect(mine).toEqual([
      { id: fx.orgA.id, name: `Org A ${fx.token}` },
      { id: fx.orgB.id, name: `Org B ${fx.token}` },
    ]);
  });
});

describe("auth on every analytics procedure", () => {
  const calls = {
    streams: (c: ReturnType<typeof createCaller>) => c.analytics.streams({ from: D1, to: D1 }),
    summary: (c: ReturnType<typeof createCaller>) => c.analytics.summary({ from: D1, to: D1 }),
    stream: (c: ReturnType<typeof createCaller>) => c.analytics.stream({ id: fx.s1.id }),
    live: (c: ReturnType<typeof createCaller>) => c.analytics.live(),
    organizers: (c: ReturnType<typeof createCaller>) => c.analytics.organizers(),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: signed out → UNAUTHORIZED, non-admin → FORBIDDEN, admin → ok`, async () => {
      await expect(call(createCaller({ session: null }))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(call(createCaller({ session: viewer }))).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(asAdmin)).resolves.toBeDefined();
    });
  }
});
