// Integration tests of the bunny-sync job against PostgreSQL and the fake Bunny API. Every run is
// limited to this file's own streams (streamIds), because other test files share the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeStreamStats } from "~/aggregation/streamStats";
import { getPool } from "~/lib/db/pool";
import { createStream } from "~/test/factories";
import { BunnyClient } from "./client";
import type { BunnyConfig } from "./config";
import { missingSettings } from "./config";
import { startFakeBunny, type FakeBunnyServer } from "./fakeBunny.testkit";
import { fakeDay } from "./answers.testkit";
import { checkRange, daysInRange } from "./sync";
import { runBunnySyncInTurn as runBunnySync } from "./sync.testkit";

let fake: FakeBunnyServer;
let config: BunnyConfig;
const NOW = new Date("2026-11-20T12:00:00Z");
const FIRST_DAYS = daysInRange("2026-10-22", "2026-11-20"); // the last 30 days up to NOW

beforeAll(async () => {
  fake = await startFakeBunny({ apiKey: "sync-key" });
  config = { apiUrl: fake.url, apiKey: "sync-key", libraryId: null, watchTimeUnit: "seconds" };
});
afterAll(async () => {
  await fake.close();
});

// No real waits between retries: the retry behaviour itself is tested in client.test.ts.
const quickClient = () => new BunnyClient({ apiKey: "sync-key", apiUrl: fake.url, maxRetries: 2, sleep: async () => {} });

async function bunnyStream() {
  const s = await createStream({ provider: "bunny_stream" });
  return { id: s.id, guid: s.provider!.bunnyVideoGuid! };
}

async function rowsOf(streamId: string) {
  const { rows } = await getPool().query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, library_id, video_guid, views, watch_time_seconds, country_views,
            country_watch_time, engagement_score, raw_payload, synced_at
       FROM bunny_video_stats WHERE stream_id = $1 ORDER BY day`,
    [streamId],
  );
  return rows;
}

async function statsOf(streamId: string) {
  const { rows } = await getPool().query(
    `SELECT own_watch_seconds, bunny_watch_seconds, bunny_views, total_watch_seconds, sessions
       FROM stream_stats WHERE stream_id = $1`,
    [streamId],
  );
  return rows[0];
}

function expected(guid: string, days: string[]) {
  return days.reduce(
    (acc, d) => {
      const f = fakeDay(guid, d);
      return { views: acc.views + f.views, watch: acc.watch + f.watchSeconds };
    },
    { views: 0, watch: 0 },
  );
}

describe("bunny-sync job", () => {
  it("first run: one row per stream per day for the last 30 days, Bunny's totals beside ours, max-merge", async () => {
    const low = await bunnyStream(); // our figure below Bunny's
    const high = await bunnyStream(); // our figure above Bunny's
    const none = await bunnyStream(); // no stream_stats row yet
    const bunnyLow = expected(low.guid, FIRST_DAYS);
    const bunnyHigh = expected(high.guid, FIRST_DAYS);
    await getPool().query(
      `INSERT INTO stream_stats (stream_id, sessions, own_watch_seconds, total_watch_seconds)
       VALUES ($1, 10, 1234.5, 1234.5), ($2, 99, $3, $3)`,
      [low.id, high.id, bunnyHigh.watch + 5000],
    );

    const out = await runBunnySync("test", { config, now: NOW, streamIds: [low.id, high.id, none.id], client: quickClient() });
    expect(out.status).toBe("succeeded");
    expect(out.figures).toMatchObject({ streams: 3, synced: 3, failed: 0, days: 90, requests: 90, rowsChanged: 90, statsChanged: 3, failures: [] });

    const rows = await rowsOf(low.id);
    expect(rows.map((r) => r.day)).toEqual(FIRST_DAYS);
    const d = fakeDay(low.guid, "2026-11-19");
    const row = rows.find((r) => r.day === "2026-11-19")!;
    expect(row).toMatchObject({
      library_id: "12345",
      video_guid: low.guid,
      views: d.views,
      watch_time_seconds: d.watchSeconds,
      country_views: d.countryViews,
      country_watch_time: d.countryWatchSeconds,
      engagement_score: d.engagementScore,
    });
    expect(row.raw_payload.viewsChart).toEqual({ "2026-11-19T00:00:00Z": d.views });

    // Each request asked for exactly one UTC day of one video.
    const req = fake.requests.find((r) => r.videoGuid === low.guid && r.dateFrom === "2026-11-19T00:00:00Z")!;
    expect(req).toMatchObject({ libraryId: "12345", dateTo: "2026-11-19T23:59:59Z", hourly: "false" });

    expect(await statsOf(low.id)).toEqual({
      own_watch_seconds: 1234.5,
      bunny_watch_seconds: bunnyLow.watch,
      bunny_views: bunnyLow.views,
      total_watch_seconds: bunnyLow.watch,
      sessions: 10,
    });
    expect(await statsOf(high.id)).toMatchObject({
      own_watch_seconds: bunnyHigh.watch + 5000,
      bunny_watch_seconds: bunnyHigh.watch,
      total_watch_seconds: bunnyHigh.watch + 5000,
      sessions: 99,
    });
    const bunnyNone = expected(none.guid, FIRST_DAYS);
    expect(await statsOf(none.id)).toMatchObject({
      own_watch_seconds: 0,
      bunny_watch_seconds: bunnyNone.watch,
      bunny_views: bunnyNone.views,
      total_watch_seconds: bunnyNone.watch,
    });

    const { rows: runs } = await getPool().query("SELECT name, trigger, status, figures FROM job_runs WHERE id = $1", [out.runId]);
    expect(runs[0]).toMatchObject({ name: "bunny-sync", trigger: "test", status: "succeeded" });
    expect(runs[0].figures.synced).toBe(3);
  });

  it("is idempotent: a second run over the same days changes nothing", async () => {
    const s = await bunnyStream();
    const opts = { config, from: "2026-11-01", to: "2026-11-07", now: NOW, streamIds: [s.id], client: quickClient() };
    const first = await runBunnySync("test", opts);
    expect(first.figures).toMatchObject({ days: 7, rowsChanged: 7, statsChanged: 1 });
    const rowsBefore = await rowsOf(s.id);
    const statsBefore = await statsOf(s.id);

    const second = await runBunnySync("test", opts);
    expect(second.status).toBe("succeeded");
    expect(second.figures).toMatchObject({ days: 7, rowsChanged: 0, statsChanged: 0 });
    expect(await rowsOf(s.id)).toEqual(rowsBefore); // synced_at included: not even touched
    expect(await statsOf(s.id)).toEqual(statsBefore);
  });

  it("picks up from the last synced day on the next run", async () => {
    const s = await bunnyStream();
    await runBunnySync("test", { config, now: NOW, streamIds: [s.id], client: quickClient() });
    fake.requests.length = 0;
    const later = new Date("2026-11-23T08:00:00Z");
    const out = await runBunnySync("test", { config, now: later, streamIds: [s.id], client: quickClient() });
    // The last synced day again (it may have been partial) and the days since.
    expect(fake.requests.map((r) => r.dateFrom)).toEqual(daysInRange("2026-11-20", "2026-11-23").map((d) => `${d}T00:00:00Z`));
    expect(out.figures).toMatchObject({ days: 4, rowsChanged: 3 }); // the 20th was identical
    expect((await rowsOf(s.id)).length).toBe(33);
    expect((await statsOf(s.id)).bunny_views).toBe(expected(s.guid, daysInRange("2026-10-22", "2026-11-23")).views);
  });

  it("keeps the max-merge whichever job runs last (aggregation after sync, sync after aggregation)", async () => {
    const s = await bunnyStream();
    const days = daysInRange("2026-11-01", "2026-11-02");
    const bunny = expected(s.guid, days);
    // Our sessions: more watch time than Bunny reports.
    const own = bunny.watch + 1000;
    await getPool().query(
      `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, device_class, watch_seconds, event_count, finalized_at)
       VALUES ($1, 'c1', '2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z', 'desktop', $2, 10, now())`,
      [s.id, own],
    );
    await runBunnySync("test", { config, from: days[0], to: days[1], now: NOW, streamIds: [s.id], client: quickClient() });
    expect(await statsOf(s.id)).toMatchObject({ own_watch_seconds: 0, bunny_watch_seconds: bunny.watch, total_watch_seconds: bunny.watch });

    await recomputeStreamStats(getPool(), s.id);
    expect(await statsOf(s.id)).toMatchObject({ own_watch_seconds: own, bunny_watch_seconds: bunny.watch, bunny_views: bunny.views, total_watch_seconds: own });

    const again = await runBunnySync("test", { config, from: days[0], to: days[1], now: NOW, streamIds: [s.id], client: quickClient() });
    expect(again.figures).toMatchObject({ rowsChanged: 0, statsChanged: 0 });
    expect(await statsOf(s.id)).toMatchObject({ own_watch_seconds: own, total_watch_seconds: own });
  });

  it("backfills exactly --from..--to", async () => {
    const s = await bunnyStream();
    const out = await runBunnySync("test", { config, from: "2026-09-28", to: "2026-10-02", now: NOW, streamIds: [s.id], client: quickClient() });
    expect(out.figures).toMatchObject({ from: "2026-09-28", to: "2026-10-02", days: 5 });
    expect((await rowsOf(s.id)).map((r) => r.day)).toEqual(daysInRange("2026-09-28", "2026-10-02"));
  });

  it("one failing stream is recorded and skipped; the others go on", async () => {
    const ok = await bunnyStream();
    const broken = await bunnyStream();
    const refused = await bunnyStream();
    const garbled = await bunnyStream();
    const flaky = await bunnyStream();
    fake.setScenario(broken.guid, "server-error");
    fake.setScenario(refused.guid, "unauthorized");
    fake.setScenario(garbled.guid, "malformed");
    fake.setScenario(flaky.guid, "rate-limit-once");
    const ids = [ok.id, broken.id, refused.id, garbled.id, flaky.id];
    const out = await runBunnySync("test", { config, from: "2026-11-10", to: "2026-11-12", now: NOW, streamIds: ids, client: quickClient() });
    expect(out.status).toBe("succeeded");
    expect(out.figures).toMatchObject({ streams: 5, synced: 2, failed: 3 });
    const failures = out.figures.failures as { streamId: string; error: string }[];
    expect(failures.map((f) => f.streamId).sort()).toEqual([broken.id, refused.id, garbled.id].sort());
    expect(failures.find((f) => f.streamId === broken.id)!.error).toMatch(new RegExp(`500.*video ${broken.guid}.*gave up after 3 attempts`));
    expect(failures.find((f) => f.streamId === refused.id)!.error).toMatch(/refused the API key for library 12345 \(401\)/);
    expect(failures.find((f) => f.streamId === garbled.id)!.error).toMatch(/not JSON/);
    expect((await rowsOf(ok.id)).length).toBe(3);
    expect((await rowsOf(flaky.id)).length).toBe(3);
    for (const s of [broken, refused, garbled]) {
      expect(await rowsOf(s.id)).toEqual([]);
      expect(await statsOf(s.id)).toBeUndefined();
    }
    const { rows } = await getPool().query("SELECT status, figures FROM job_runs WHERE id = $1", [out.runId]);
    expect(rows[0].status).toBe("succeeded");
    expect(rows[0].figures.failures).toHaveLength(3);
  });

  it("a run where every stream fails is recorded as failed with each stream's error", async () => {
    const a = await bunnyStream();
    fake.setScenario(a.guid, "not-found");
    const out = await runBunnySync("test", { config, from: "2026-11-10", to: "2026-11-10", now: NOW, streamIds: [a.id], client: quickClient() });
    expect(out.status).toBe("failed");
    expect(out.error).toMatch(new RegExp(`${a.id}: Bunny does not know video ${a.guid} in library 12345 \\(404\\)`));
  });

  it("falls back to BUNNY_LIBRARY_ID for providers without their own library", async () => {
    const s = await bunnyStream();
    await getPool().query("UPDATE stream_providers SET bunny_library_id = NULL WHERE stream_id = $1", [s.id]);
    const out = await runBunnySync("test", {
      config: { ...config, libraryId: "999" },
      from: "2026-11-10",
      to: "2026-11-10",
      now: NOW,
      streamIds: [s.id],
      client: quickClient(),
    });
    expect(out.figures).toMatchObject({ synced: 1 });
    expect((await rowsOf(s.id))[0].library_id).toBe("999");
  });

  it("refuses a bad range naming the field, before calling Bunny", async () => {
    const s = await bunnyStream();
    fake.requests.length = 0;
    // runJob turns errors inside the job into a `failed` outcome, so a rejection means no run was recorded.
    await expect(runBunnySync("test", { config, from: "2026-11-10", now: NOW, streamIds: [s.id], client: quickClient() })).rejects.toThrow(
      /^to: missing/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe("checkRange", () => {
  const today = "2026-11-20";
  it("accepts a range and clips its end to today", () => {
    expect(checkRange(undefined, undefined, today)).toBeNull();
    expect(checkRange("2026-11-01", "2026-11-30", today)).toEqual({ from: "2026-11-01", to: "2026-11-20" });
  });
  it("names the bad field", () => {
    expect(() => checkRange("2026-11-31", "2026-12-01", today)).toThrow(/^from: "2026-11-31" is not a date/);
    expect(() => checkRange("2026-11-01", "11/02/2026", today)).toThrow(/^to: "11\/02\/2026" is not a date/);
    expect(() => checkRange("2026-11-05", "2026-11-01", today)).toThrow(/^from: 2026-11-05 is after to 2026-11-01/);
    expect(() => checkRange("2026-12-01", "2026-12-02", today)).toThrow(/^from: 2026-12-01 is in the future/);
    expect(() => checkRange("2024-01-01", "2026-11-01", today)).toThrow(/more than 366/);
  });
});

describe("missingSettings", () => {
  const base: BunnyConfig = { apiUrl: "http://x", apiKey: "k", libraryId: "1", watchTimeUnit: "seconds" };
  it("names what is missing", () => {
    expect(missingSettings(base, 0)).toEqual([]);
    expect(missingSettings({ ...base, apiKey: null }, 5)).toEqual(["BUNNY_API_KEY"]);
    expect(missingSettings({ ...base, libraryId: null }, 0)).toEqual(["BUNNY_LIBRARY_ID"]);
    expect(missingSettings({ ...base, libraryId: null }, 2)).toEqual([]);
    expect(missingSettings({ ...base, apiKey: null, libraryId: null }, 0)).toEqual(["BUNNY_API_KEY", "BUNNY_LIBRARY_ID"]);
  });
});
