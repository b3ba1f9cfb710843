import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream } from "~/test/factories";
import { BunnyClient } from "./client";
import { startFakeBunny, type FakeBunnyServer } from "./fakeBunny.testkit";
import { fakeDay } from "./answers.testkit";
import { bunnyReport } from "./report";
import { runBunnySyncInTurn as runBunnySync } from "./sync.testkit";

let fake: FakeBunnyServer;
const saved = { ...process.env };
const NOW = new Date("2026-11-20T12:00:00Z");

beforeAll(async () => {
  fake = await startFakeBunny({ apiKey: "report-key" });
  process.env.BUNNY_API_URL = fake.url;
  process.env.BUNNY_API_KEY = "report-key";
  delete process.env.BUNNY_LIBRARY_ID;
  delete process.env.BUNNY_WATCH_TIME_UNIT;
});
afterAll(async () => {
  process.env = { ...saved };
  await fake.close();
});

const client = () => new BunnyClient({ apiKey: "report-key", apiUrl: fake.url, maxRetries: 0, sleep: async () => {} });
const config = () => ({ apiUrl: fake.url, apiKey: "report-key", libraryId: null, watchTimeUnit: "seconds" as const });

describe("bunnyReport", () => {
  it("puts Bunny's days beside ours, with countries, engagement, totals and the last run", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    const guid = s.provider!.bunnyVideoGuid!;
    await getPool().query(
      `INSERT INTO stream_daily_stats (stream_id, day, sessions, watch_seconds) VALUES ($1, '2026-11-18', 12, 3600), ($1, '2026-11-19', 30, 7200.5)`,
      [s.id],
    );
    await getPool().query(`INSERT INTO stream_stats (stream_id, own_watch_seconds, total_watch_seconds) VALUES ($1, 10800.5, 10800.5)`, [s.id]);
    const out = await runBunnySync("test", { config: config(), from: "2026-11-19", to: "2026-11-20", now: NOW, streamIds: [s.id], client: client() });
    expect(out.status).toBe("succeeded");

    const r = (await bunnyReport(s.id))!;
    const d19 = fakeDay(guid, "2026-11-19");
    const d20 = fakeDay(guid, "2026-11-20");
    expect(r).toMatchObject({ isBunny: true, canSync: true, missing: [], syncBlockedReason: null, videoGuid: guid, libraryId: "12345" });
    expect(r.days).toEqual([
      { day: "2026-11-18", bunnyViews: null, bunnyWatchSeconds: null, ownSessions: 12, ownWatchSeconds: 3600 },
      { day: "2026-11-19", bunnyViews: d19.views, bunnyWatchSeconds: d19.watchSeconds, ownSessions: 30, ownWatchSeconds: 7200.5 },
      { day: "2026-11-20", bunnyViews: d20.views, bunnyWatchSeconds: d20.watchSeconds, ownSessions: null, ownWatchSeconds: null },
    ]);
    const bunnyWatch = d19.watchSeconds + d20.watchSeconds;
    expect(r.totals).toEqual({
      bunnyViews: d19.views + d20.views,
      bunnyWatchSeconds: bunnyWatch,
      ownWatchSeconds: 10800.5,
      totalWatchSeconds: Math.max(10800.5, bunnyWatch),
    });
    expect(r.countries[0]).toEqual({
      country: "DE",
      views: d19.countryViews.DE! + d20.countryViews.DE!,
      watchSeconds: d19.countryWatchSeconds.DE! + d20.countryWatchSeconds.DE!,
    });
    expect(r.countries.map((c) => c.views)).toEqual([...r.countries.map((c) => c.views)].sort((a, b) => b - a));
    const score = (d19.engagementScore * d19.views + d20.engagementScore * d20.views) / (d19.views + d20.views);
    expect(r.engagementScore).toBeCloseTo(score, 6);
    expect(r).toMatchObject({ dataFrom: "2026-11-19", dataTo: "2026-11-20" });
    expect(r.lastChangedAt).toBeInstanceOf(Date);
    expect(r.lastRun).toMatchObject({ status: "succeeded", error: null });

    // A later run that fails for this stream shows its error.
    fake.setScenario(guid, "unauthorized");
    const other = await createStream({ provider: "bunny_stream" });
    await runBunnySync("test", { config: config(), from: "2026-11-20", to: "2026-11-20", now: NOW, streamIds: [s.id, other.id], client: client() });
    const after = (await bunnyReport(s.id))!;
    expect(after.lastRun).toMatchObject({ status: "failed" });
    expect(after.lastRun!.error).toMatch(/401/);
    // A run restricted to another stream is not this stream's last run.
    await runBunnySync("test", { config: config(), from: "2026-11-20", to: "2026-11-20", now: NOW, streamIds: [other.id], client: client() });
    expect((await bunnyReport(s.id))!.lastRun!.status).toBe("failed");
    expect((await bunnyReport(other.id))!.lastRun!.status).toBe("succeeded");
  });

  it("says why a Bunny stream cannot be synced", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    delete process.env.BUNNY_API_KEY;
    try {
      const r = (await bunnyReport(s.id))!;
      expect(r.canSync).toBe(false);
      expect(r.missing).toContain("BUNNY_API_KEY");
      expect(r.syncBlockedReason).toMatch(/set BUNNY_API_KEY/);
      expect(r.days).toEqual([]);
      expect(r.lastRun).toBeNull();
    } finally {
      process.env.BUNNY_API_KEY = "report-key";
    }
    await getPool().query("UPDATE stream_providers SET bunny_library_id = NULL WHERE stream_id = $1", [s.id]);
    const r = (await bunnyReport(s.id))!;
    expect(r.missing).toEqual(["BUNNY_LIBRARY_ID"]);
  });

  it("marks YouTube streams as not Bunny and unknown streams as null", async () => {
    const y = await createStream({ provider: "youtube" });
    const r = (await bunnyReport(y.id))!;
    expect(r.isBunny).toBe(false);
    expect(r.canSync).toBe(false);
    expect(await bunnyReport("no-such-stream")).toBeNull();
  });
});
