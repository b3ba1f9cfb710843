// The figures on screen for a small known audience, against values computed by hand from
// docs/metrics.md: three viewers' batches through POST /api/analytics/events, the aggregation job
// through its cron route, then the KPIs and the table row on /admin/analytics/streams (filtered to
// this stream) and the KPIs on /admin/analytics/streams/[id].
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { logIn } from "./adminAuth.helpers";
import { closeDb, createStream, uniqueId } from "./fixtures/db";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

interface Ev {
  type: string;
  /** Seconds after the audience's start. */
  t: number;
  extra?: Record<string, unknown>;
}

/** `play` at `from`, a heartbeat every 15 s, `last` at `to`; every gap ≤ 15 s, so watch = to − from. */
function viewing(from: number, to: number, last: string, extra?: Record<string, unknown>): Ev[] {
  const evs: Ev[] = [{ type: "play", t: from, ...(extra ? { extra } : {}) }];
  for (let t = from + 15; t < to; t += 15) evs.push({ type: "heartbeat", t });
  evs.push({ type: last, t: to });
  return evs;
}

/** One viewer's events in one batch, sent now with the right clock: each lands at start + t. */
async function send(request: APIRequestContext, streamId: string, clientId: string, start: number, events: Ev[], ip: string) {
  const sentAt = Date.now();
  const offset = sentAt - start;
  // Times relative to sentAt keep the gaps exact whatever the transit time (docs/metrics.md#corrected-time).
  const body = {
    streamId,
    clientId,
    sentAt,
    events: events
      .sort((a, b) => a.t - b.t)
      .map((e, i) => ({ type: e.type, ts: sentAt - offset + e.t * 1000, videoTime: e.t, seq: i + 1, ...(e.extra ? { extra: e.extra } : {}) })),
  };
  const res = await request.post("/api/analytics/events", { data: body, headers: { "user-agent": CHROME, "x-forwarded-for": ip } });
  expect(res.status()).toBe(202);
}

async function aggregate(request: APIRequestContext) {
  // Another run (a test before, or a scheduler) may hold the job's lease for a moment: then this
  // run is skipped, and the next one does the work.
  await expect(async () => {
    const res = await request.get("/api/cron/aggregate", { headers: { authorization: "Bearer e2e-cron-secret" } });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "succeeded" });
  }).toPass({ timeout: 30_000 });
}

const kpi = (page: Page, id: string) => page.getByTestId(`kpi-${id}-value`);

test.afterAll(() => closeDb());

test("KPIs and the table row of a known audience are the hand-computed figures", async ({ page, request }) => {
  const id = uniqueId("e2e-kpis");
  const title = `KPI audience ${id}`;
  await createStream({ id, title, status: "ended", provider: { kind: "bunny_stream", playbackUrl: "/demo/hls/playlist.m3u8" } });
  // Two hours ago (finalized by the job: silent for more than 30 min).
  const start = Date.now() - 2 * 3600_000;
  // A: 0 → 120 s, startup 1,000 ms.                                  watch 120 s
  // B: 60 → 240 s, startup 3,000 ms, stalled 76 → 86 s.              watch 180 s, buffer 10 s
  // C: 300 → 360 s, no startup figure, a playback error at 355 s.   watch  60 s, error
  const a = viewing(0, 120, "pause", { startupMs: 1000 });
  const b = [...viewing(60, 240, "ended", { startupMs: 3000 }), { type: "buffer_start", t: 76 }, { type: "buffer_end", t: 86 }];
  const c = [...viewing(300, 360, "pause"), { type: "error", t: 355, extra: { code: "fragLoadError", fatal: false } }];
  await send(request, id, `${id}-a`, start, a, "203.0.113.11");
  await send(request, id, `${id}-b`, start, b, "203.0.113.12");
  await send(request, id, `${id}-c`, start, c, "203.0.113.13");
  await aggregate(request);

  // Hand-computed (docs/metrics.md):
  //   viewers 3, views 3; watch 120 + 180 + 60 = 360 s = 0.1 h; average view 360 / 3 = 120 s;
  //   peak 2 (A and B overlap from 60 to 120 s; C starts after both ended);
  //   buffer ratio 10 / 360 = 2.78 %; error rate 1 / 3 = 33.3 %;
  //   startup average (1,000 + 3,000) / 2 = 2.00 s; p95 = 1,000 + 0.95 · 2,000 = 2,900 ms = 2.90 s.
  const expected = { viewers: "3", views: "3", watch: "0.1 h", avg: "2m 00s", peak: "2", buffer: "2.78%", errors: "33.3%", startup: "2.00 s", p95: "2.90 s" };

  await logIn(page, undefined, `/admin/analytics/streams?q=${encodeURIComponent(id)}`);
  const row = page.locator(`[data-testid=streams-table] tr[data-stream-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(page.locator("[data-testid=streams-table] tbody tr")).toHaveCount(1);
  const cell = (col: string) => row.locator(`td[data-col=${col}]`);
  await expect(cell("uniqueViewers")).toHaveText(expected.viewers);
  await expect(cell("sessions")).toHaveText(expected.views);
  await expect(cell("watchSeconds")).toHaveText(expected.watch);
  await expect(cell("avgWatchSeconds")).toHaveText(expected.avg);
  await expect(cell("peakConcurrent")).toHaveText(expected.peak);
  await expect(cell("bufferRatio")).toHaveText(expected.buffer);
  await expect(cell("errorRate")).toHaveText(expected.errors);
  await expect(cell("startupMsAvg")).toHaveText(expected.startup);
  // The KPIs over the matching streams: this one alone.
  await expect(kpi(page, "unique-viewers")).toHaveText(expected.viewers);
  await expect(kpi(page, "watch-hours")).toHaveText(expected.watch);
  await expect(kpi(page, "avg-view")).toHaveText(expected.avg);
  await expect(kpi(page, "peak-concurrent")).toHaveText(expected.peak);
  await expect(kpi(page, "buffer-ratio")).toHaveText(expected.buffer);
  await expect(kpi(page, "error-rate")).toHaveText(expected.errors);
  await page.screenshot({ path: `${SHOTS}/kpis-streams.png`, fullPage: true });

  await page.goto(`/admin/analytics/streams/${id}`);
  await expect(kpi(page, "unique-viewers")).toHaveText(expected.viewers);
  await expect(kpi(page, "views")).toHaveText(expected.views);
  await expect(kpi(page, "avg-view")).toHaveText(expected.avg);
  await expect(kpi(page, "peak-concurrent")).toHaveText(expected.peak);
  await expect(kpi(page, "buffer-ratio")).toHaveText(expected.buffer);
  await expect(kpi(page, "error-rate")).toHaveText(expected.errors);
  await expect(kpi(page, "startup-avg")).toHaveText(expected.startup);
  await expect(kpi(page, "startup-p95")).toHaveText(expected.p95);
  await page.screenshot({ path: `${SHOTS}/kpis-stream.png`, fullPage: true });
});
