// The tracker on any site: plain static pages on another origin (a server of the test's own)
// include <script src=".../streamscope.js" data-stream="ID" async> next to their player — a
// native <video> played by hls.js, Bunny Stream's iframe (a stand-in speaking player.js), a
// YouTube iframe (the stubbed IFrame API) — and the viewing reaches Streamscope across origins.
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { closeDb, createStream, db, storedEvents, uniqueId } from "./fixtures/db";
import { makeHlsClip, type HlsClip } from "./fixtures/hls";
import { BUNNY_PLAYERJS_PAGE } from "./fixtures/bunnyPlayerjs";
import { startStaticSite, type StaticSite } from "./fixtures/staticSite";
import { YOUTUBE_STUB } from "./fixtures/youtubeStub";
import { logIn } from "./adminAuth.helpers";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
const APP = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}`;
const SITE_PORT = Number(process.env.E2E_SITE_PORT ?? 4530);

test.use({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" });

let site: StaticSite;
let clip: HlsClip;
test.beforeAll(async () => {
  clip = makeHlsClip(6);
  site = await startStaticSite(SITE_PORT);
  site.dir("/hls/", clip.dir);
  site.dir("/vendor/", path.resolve("node_modules/hls.js/dist"));
});
test.afterAll(async () => {
  await site?.close();
  clip?.remove();
  await closeDb();
});

const snippet = (streamId: string) => `<script src="${APP}/streamscope.js" data-stream="${streamId}" async></script>`;

/** Every POST to the app's ingestion endpoint from this page, with its answer. */
function ingestAnswers(page: Page) {
  const answers: { status: number; cors: string | null }[] = [];
  page.on("response", (res) => {
    if (res.request().method() === "POST" && res.url() === `${APP}/api/analytics/events`) {
      answers.push({ status: res.status(), cors: res.headers()["access-control-allow-origin"] ?? null });
    }
  });
  return answers;
}

/** The tracker on `page` has numbered `n` events (its seq in localStorage): it has seen them all. */
async function trackerSaw(page: Page, n: number) {
  await expect.poll(() => page.evaluate(() => Number(localStorage.getItem("ss.seq")))).toBeGreaterThanOrEqual(n);
}

/** Closing the page hands what waits to sendBeacon; the events are then in the database. */
async function leaveAndRead(page: Page, streamId: string, expectTypes: string[]) {
  await page.close({ runBeforeUnload: true });
  await expect.poll(async () => (await storedEvents(streamId)).map((e) => e.type), { timeout: 20_000 }).toEqual(expect.arrayContaining(expectTypes));
  return storedEvents(streamId);
}

test("the script is served for other sites: cacheable, CORS-readable, under 5 KB gzipped, and the admin page shows its snippet", async ({ page, request }) => {
  const res = await request.get("/streamscope.js", { headers: { "accept-encoding": "gzip" } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/javascript/);
  expect(res.headers()["access-control-allow-origin"]).toBe("*");
  expect(res.headers()["cache-control"]).toContain("public");
  const esm = await request.get("/streamscope.mjs");
  expect(esm.status()).toBe(200);
  expect(await esm.text()).toMatch(/export\s*\{/);

  const id = uniqueId("e2e-snippet");
  await createStream({ id, title: "E2E snippet stream", status: "live", provider: { kind: "youtube", videoId: "dQw4w9WgXcQ" } });
  await logIn(page, undefined, `/admin/analytics/streams/${id}`);
  const code = page.getByTestId("tracker-snippet");
  await expect(code).toContainText(`<script src="${APP}/streamscope.js" data-stream="${id}" async></script>`);
  await page.getByTestId("tracker-snippet-section").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/tracker-snippet.png`, fullPage: true });
});

test("a static page on another origin with a <video> and hls.js: its viewing lands in the dashboard", async ({ page, context }) => {
  const id = uniqueId("e2e-site-hls");
  const title = "E2E tracked on another site";
  await createStream({ id, title, status: "live", provider: { kind: "bunny_stream", playbackUrl: "https://example.invalid/x.m3u8" } });
  site.page(
    `/${id}.html`,
    `<!doctype html><html><head><title>A platform's own page</title><script src="/vendor/hls.min.js"></script></head><body>
<h1>Our race, live</h1>
<video id="v" controls muted playsinline width="480"></video>
<script>
  var v = document.getElementById("v");
  var hls = new Hls(); hls.loadSource("/hls/playlist.m3u8"); hls.attachMedia(v);
</script>
${snippet(id)}
</body></html>`,
  );
  const answers = ingestAnswers(page);
  await page.goto(`${site.origin}/${id}.html`);
  await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { streamscope?: unknown }).streamscope))).toBe(true);
  await page.locator("#v").evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => page.locator("#v").evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(1);
  await page.locator("#v").evaluate((v: HTMLVideoElement) => v.pause());
  // The pause event is dispatched after pause() returns: wait until the tracker has numbered it.
  await expect.poll(() => page.evaluate(() => Number(localStorage.getItem("ss.seq")))).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: `${SHOTS}/tracker-other-site.png` });

  const stored = await leaveAndRead(page, id, ["play", "pause"]);
  expect(stored[0]!.type).toBe("play");
  expect(typeof stored[0]!.extra?.startupMs).toBe("number");
  expect(new Set(stored.map((e) => e.client_id)).size).toBe(1);
  // Whatever went by fetch (with its CORS preflight) was accepted and readable across origins.
  for (const a of answers) expect(a).toEqual({ status: 202, cors: "*" });

  // The next aggregation (Vercel Cron's call) puts the viewing in the dashboard.
  const admin = await context.newPage();
  const cron = await admin.request.get("/api/cron/aggregate", { headers: { authorization: "Bearer e2e-cron-secret" } });
  expect(cron.status()).toBe(200);
  await logIn(admin, undefined, `/admin/analytics/streams/${id}`);
  await expect(admin.getByTestId("kpi-unique-viewers-value")).toHaveText("1");
  await expect(admin.getByTestId("kpi-views-value")).toHaveText("1");
});

test("Bunny Stream's iframe: the player.js events it posts become the viewer's events", async ({ page }) => {
  const id = uniqueId("e2e-site-bunny");
  await createStream({ id, title: "E2E Bunny iframe", status: "live", provider: { kind: "bunny_stream", playbackUrl: "https://example.invalid/x.m3u8" } });
  const embed = `https://iframe.mediadelivery.net/embed/218441/${id}`;
  await page.route(`${embed}**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: BUNNY_PLAYERJS_PAGE }));
  site.page(
    `/${id}.html`,
    `<!doctype html><html><body><h1>Bunny embed</h1>
<iframe id="bunny" src="${embed}?autoplay=false" width="480" height="270" allow="autoplay; fullscreen"></iframe>
${snippet(id)}</body></html>`,
  );
  await page.goto(`${site.origin}/${id}.html`);
  const player = page.frameLocator("#bunny");
  // The tracker subscribed to the player's events (after "ready", whichever loaded first).
  await expect.poll(() => player.locator("body").evaluate(() => (window as unknown as { __bunny: { subscribed(): string[] } }).__bunny.subscribed())).toEqual(
    expect.arrayContaining(["ready", "play", "pause", "timeupdate", "ended"]),
  );
  const drive = (fn: string, arg?: number) =>
    player.locator("body").evaluate((_b, [f, a]) => (window as unknown as { __bunny: Record<string, (x?: number) => void> }).__bunny[f as string]!(a as number | undefined), [fn, arg] as const);
  await drive("play");
  await drive("time", 0);
  await drive("time", 0.25);
  await drive("time", 7.5);
  await drive("pause");
  await drive("play");
  await drive("time", 8);
  await drive("time", 600);
  await drive("ended");
  // The player's messages reach the page asynchronously: all four events seen before it closes.
  await trackerSaw(page, 4);

  const stored = await leaveAndRead(page, id, ["play", "pause", "ended"]);
  expect(stored.map((e) => e.type)).toEqual(["play", "pause", "play", "ended"]);
  expect(stored.map((e) => e.video_time)).toEqual([0.25, 7.5, 8, 600]);
});

test("a YouTube iframe: the IFrame API's state changes become the viewer's events", async ({ page }) => {
  const id = uniqueId("e2e-site-yt");
  await createStream({ id, title: "E2E YouTube iframe", status: "live", provider: { kind: "youtube", videoId: "dQw4w9WgXcQ" } });
  await page.route("https://www.youtube.com/iframe_api", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: YOUTUBE_STUB }));
  await page.route("https://www.youtube.com/embed/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<body>YouTube embed</body>" }));
  site.page(
    `/${id}.html`,
    `<!doctype html><html><body><h1>YouTube embed</h1>
<iframe id="yt" src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="480" height="270"></iframe>
${snippet(id)}</body></html>`,
  );
  await page.goto(`${site.origin}/${id}.html`);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __ytStub?: { ready(): boolean } }).__ytStub?.ready() ?? false)).toBe(true);
  const yt = (fn: string, arg: number) =>
    page.evaluate(([f, a]) => (window as unknown as { __ytStub: Record<string, (x: number) => void> }).__ytStub[f as string]!(a as number), [fn, arg] as const);
  await yt("setState", -1);
  await yt("setState", 3);
  await yt("setTime", 1.5);
  await yt("setState", 1);
  await yt("setTime", 4);
  await yt("setState", 3);
  await yt("setState", 1);
  await yt("setTime", 9);
  await yt("setState", 2);
  await trackerSaw(page, 4);

  const stored = await leaveAndRead(page, id, ["play", "buffer_start", "buffer_end", "pause"]);
  expect(stored.map((e) => e.type)).toEqual(["play", "buffer_start", "buffer_end", "pause"]);
  expect(stored[0]!.video_time).toBe(1.5);
  expect(stored.at(-1)!.video_time).toBe(9);
  // The tracker's viewer is one client whatever the provider.
  const { rows } = await db().query<{ n: number }>("SELECT count(DISTINCT client_id)::int AS n FROM playback_events WHERE stream_id = $1", [id]);
  expect(rows[0]!.n).toBe(1);
});
