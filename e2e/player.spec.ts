// The viewer side end to end: the production build plays HLS (made with ffmpeg for the test) and a
// stubbed YouTube player, and the tracker's batches reach POST /api/analytics/events and the
// database. Playwright's clock stands in for the 15 s heartbeat and batch timers.
import { expect, test, type Page } from "@playwright/test";
import { closeDb, createStream, storedEvents, uniqueId } from "./fixtures/db";
import { makeHlsClip, serveHls, type HlsClip } from "./fixtures/hls";
import { YOUTUBE_STUB } from "./fixtures/youtubeStub";

interface SentEvent {
  type: string;
  ts: number;
  videoTime: number;
  seq: number;
  extra?: Record<string, unknown>;
}
interface SentBatch {
  streamId: string;
  clientId: string;
  sentAt: number;
  events: SentEvent[];
}

/** Every POST to the ingestion endpoint this page makes, with the server's answer. */
function captureBatches(page: Page) {
  const batches: { body: SentBatch; status: number; contentType: string }[] = [];
  page.on("response", (res) => {
    const req = res.request();
    if (req.method() !== "POST" || !req.url().endsWith("/api/analytics/events")) return;
    batches.push({ body: JSON.parse(req.postData() ?? "null") as SentBatch, status: res.status(), contentType: req.headers()["content-type"] ?? "" });
  });
  const events = () => batches.flatMap((b) => b.body.events);
  return { batches, events, types: () => events().map((e) => e.type) };
}

const videoProp = <T,>(page: Page, fn: (v: HTMLVideoElement) => T) => page.getByTestId("hls-video").evaluate(fn);

// Headless Chromium says so in its user agent, and the server does not store bots' events.
test.use({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" });

let clip: HlsClip;
test.beforeAll(() => {
  clip = makeHlsClip(5);
});
test.afterAll(async () => {
  clip?.remove();
  await closeDb();
});

test("HLS: play, heartbeat, pause, resume and play to the end are posted and stored", async ({ page }) => {
  const id = uniqueId("e2e-hls");
  const title = "E2E HLS playback";
  const { playbackUrl } = await serveHls(page, id, clip);
  await createStream({ id, title, status: "ended", provider: { kind: "bunny_stream", playbackUrl } });
  const sent = captureBatches(page);
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByTestId("privacy-notice")).toBeVisible();

  await page.getByRole("button", { name: `Play ${title}` }).click();
  await expect.poll(() => videoProp(page, (v) => v.currentTime)).toBeGreaterThan(0.3);
  // 15 s later: the heartbeat fires and the waiting batch leaves.
  await page.clock.fastForward(15_000);
  await expect.poll(sent.types).toContain("play");

  await videoProp(page, (v) => v.pause());
  await videoProp(page, (v) => v.play());
  await expect.poll(() => videoProp(page, (v) => v.ended), { timeout: 20_000 }).toBe(true);
  await page.clock.fastForward(16_000);

  const expected = ["play", "heartbeat", "pause", "play", "ended"];
  // A stall on a busy machine may add a buffer_start/buffer_end pair; it does not change the rest.
  const withoutBuffering = () => sent.types().filter((t) => t !== "buffer_start" && t !== "buffer_end");
  await expect.poll(withoutBuffering).toEqual(expected);

  const events = sent.events();
  for (const b of sent.batches) {
    expect(b.status).toBe(202);
    expect(b.contentType).toContain("application/json");
    expect(b.body.streamId).toBe(id);
    expect(b.body.clientId).toBe(sent.batches[0]!.body.clientId);
    expect(b.body.events.length).toBeGreaterThanOrEqual(1);
    expect(b.body.events.length).toBeLessThanOrEqual(10);
  }
  expect(sent.batches[0]!.body.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  // A fresh browser profile: seq starts at 1 and grows by one per event.
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const startupMs = events[0]!.extra?.startupMs;
  expect(typeof startupMs).toBe("number");
  expect(startupMs as number).toBeGreaterThanOrEqual(0);
  expect(events.at(-1)!.videoTime).toBeGreaterThan(4.5);

  const stored = await storedEvents(id);
  expect(stored.map((e) => [e.type, e.seq])).toEqual(events.map((e) => [e.type, e.seq]));
  expect(new Set(stored.map((e) => e.client_id))).toEqual(new Set([sent.batches[0]!.body.clientId]));
});

test("HLS: a segment held back gives buffer_start, then buffer_end when it arrives", async ({ page }) => {
  const id = uniqueId("e2e-buffer");
  const title = "E2E HLS buffering";
  const { playbackUrl } = await serveHls(page, id, clip, { hold: { segment: "seg002.ts", ms: 6_000 } });
  await createStream({ id, title, status: "ended", provider: { kind: "bunny_stream", playbackUrl } });
  const sent = captureBatches(page);
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await page.getByRole("button", { name: `Play ${title}` }).click();
  await expect.poll(() => videoProp(page, (v) => v.ended), { timeout: 30_000 }).toBe(true);
  await page.clock.fastForward(16_000);
  await expect.poll(sent.types).toContain("ended");
  const types = sent.types().filter((t) => t !== "heartbeat");
  expect(types.slice(0, 3)).toEqual(["play", "buffer_start", "buffer_end"]);
  expect(types.at(-1)).toBe("ended");
  const start = sent.events().find((e) => e.type === "buffer_start")!;
  const end = sent.events().find((e) => e.type === "buffer_end")!;
  expect(start.extra).toEqual({ cause: "stall" });
  expect(start.videoTime).toBeGreaterThan(1);
  expect(end.ts - start.ts).toBeGreaterThan(1_000);
  await expect.poll(async () => (await storedEvents(id)).map((e) => e.type)).toContain("buffer_end");
});

test("HLS: a broken playlist gives an error event and the error state", async ({ page }) => {
  const id = uniqueId("e2e-broken");
  const title = "E2E broken playlist";
  const { playbackUrl } = await serveHls(page, id, clip, { playlistBody: "this is not a playlist\n" });
  await createStream({ id, title, status: "live", provider: { kind: "bunny_stream", playbackUrl } });
  const sent = captureBatches(page);
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  const error = page.getByTestId("player-error");
  await expect(error).toBeVisible();
  await expect(error).toContainText("This video cannot be played right now");
  await expect(error.getByRole("button", { name: "Try again" })).toBeVisible();
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/stream-player-error.png`, fullPage: true });
  await page.clock.fastForward(16_000);
  await expect.poll(sent.types).toEqual(["error"]);
  expect(sent.events()[0]!.extra).toMatchObject({ code: "manifestParsingError", fatal: true });
  expect(typeof sent.events()[0]!.extra!.message).toBe("string");
  expect(sent.batches[0]!.status).toBe(202);
});

test("YouTube (stubbed IFrame API): play, heartbeat, pause, buffering and ended", async ({ page }) => {
  const id = uniqueId("e2e-yt");
  const title = "E2E YouTube";
  await page.route("**/www.youtube.com/iframe_api", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: YOUTUBE_STUB }));
  await createStream({ id, title, status: "ended", provider: { kind: "youtube", videoId: "M7lc1UVf-VE" } });
  const sent = captureBatches(page);
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await page.waitForFunction(() => (window as unknown as { __ytStub?: { ready(): boolean } }).__ytStub?.ready() === true);
  const drive = (body: string) => page.evaluate(`(() => { const s = window.__ytStub; ${body} })()`);
  expect(await drive("return s.videoId();")).toBe("M7lc1UVf-VE");

  await drive("s.setState(-1);"); // the viewer pressed play
  await page.clock.fastForward(400);
  await drive("s.setState(3); s.setState(1);"); // first frame
  await drive("s.setTime(15);");
  await page.clock.fastForward(15_000);
  await drive("s.setState(2);");
  await drive("s.setState(1);");
  await drive("s.setTime(20); s.setState(3);");
  await page.clock.fastForward(2_000);
  await drive("s.setState(1);");
  await drive("s.setTime(42); s.setState(0);");
  await page.clock.fastForward(16_000);

  await expect.poll(sent.types).toEqual(["play", "heartbeat", "pause", "play", "buffer_start", "buffer_end", "ended"]);
  const events = sent.events();
  expect(events[0]!.extra?.startupMs).toBeGreaterThanOrEqual(400);
  expect(events[1]!.videoTime).toBe(15);
  expect(events.at(-1)!.videoTime).toBe(42);
  expect(events[5]!.ts - events[4]!.ts).toBeGreaterThanOrEqual(2_000);
  expect(events[5]!.ts - events[4]!.ts).toBeLessThan(3_000);
  expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  for (const b of sent.batches) {
    expect(b.status).toBe(202);
    expect(b.body.streamId).toBe(id);
  }
  await expect.poll(async () => (await storedEvents(id)).length).toBe(7);
});

test("closing the page sends the last batch by beacon and the rows are stored", async ({ page }) => {
  const id = uniqueId("e2e-beacon");
  const title = "E2E beacon on close";
  const { playbackUrl } = await serveHls(page, id, clip);
  await createStream({ id, title, status: "ended", provider: { kind: "bunny_stream", playbackUrl } });
  const sent = captureBatches(page);
  await page.goto(`/streams/${id}`);
  await page.getByRole("button", { name: `Play ${title}` }).click();
  await expect.poll(() => videoProp(page, (v) => v.currentTime)).toBeGreaterThan(0.3);
  await videoProp(page, (v) => v.pause());
  // Two events wait for their batch (under 10, under 15 s): nothing has been posted yet.
  expect(sent.batches).toHaveLength(0);
  await page.close({ runBeforeUnload: true });
  // What waited in the batch is stored: the play, the pause, and a stall in between when a busy
  // machine made the video wait (buffer_start/buffer_end) — every event, in order, none lost.
  await expect.poll(async () => (await storedEvents(id)).at(-1)?.type, { timeout: 15_000 }).toBe("pause");
  const stored = await storedEvents(id);
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
  expect(stored[0]!.type).toBe("play");
  expect(stored.slice(1, -1).every((e) => e.type === "buffer_start" || e.type === "buffer_end")).toBe(true);
});

test("stream page states: scheduled, unknown stream, privacy page", async ({ page }) => {
  await page.goto("/streams/demo-scheduled");
  await expect(page.getByTestId("stream-scheduled")).toContainText("Not started yet");
  await expect(page.getByTestId("stream-scheduled")).toContainText("This stream starts");
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/stream-scheduled.png`, fullPage: true });
  await page.goto("/streams/no-such-stream");
  await expect(page.getByTestId("stream-unknown")).toContainText("Unknown stream");
  await page.goto("/streams/demo-ended-bunny");
  await expect(page.getByTestId("stream-ended")).toContainText("This stream has ended");
  const notice = page.getByTestId("privacy-notice");
  await expect(notice).toContainText("no cookies");
  await notice.getByRole("link").click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { name: "Viewing statistics and your privacy" })).toBeVisible();
  await expect(page.getByText("Your IP address is never stored")).toBeVisible();
});

test("YouTube: when the IFrame API cannot load, the page says so and an error event is sent", async ({ page }) => {
  const id = uniqueId("e2e-yt-down");
  await page.route("**/www.youtube.com/iframe_api", (route) => route.abort("internetdisconnected"));
  await createStream({ id, title: "E2E YouTube unreachable", status: "ended", provider: { kind: "youtube", videoId: "M7lc1UVf-VE" } });
  const sent = captureBatches(page);
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await expect(page.getByTestId("player-error")).toContainText("The YouTube player could not be loaded");
  await page.clock.fastForward(16_000);
  await expect.poll(sent.types).toEqual(["error"]);
  expect(sent.events()[0]!.extra).toMatchObject({ code: "youtube_load", fatal: true });
});

test("the demo live stream autoplays its committed HLS clip", async ({ page }) => {
  // Keep the seeded demo figures as they are: this test's own events are answered here.
  await page.route("**/api/analytics/events", (route) => route.fulfill({ status: 202, contentType: "application/json", body: '{"ingested":0,"duplicates":0}' }));
  const sent = captureBatches(page);
  await page.goto("/streams/demo-live-bunny");
  await expect(page.getByRole("heading", { name: /Alpine Trail Championship/ })).toBeVisible();
  await expect.poll(() => videoProp(page, (v) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(2);
  await page.screenshot({ path: "test-results/stream-playing.png", fullPage: true });
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/stream-playing.png`, fullPage: true });
  expect(sent.batches).toHaveLength(0); // the play event waits for its batch
});
