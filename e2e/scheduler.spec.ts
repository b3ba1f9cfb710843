// One process runs the whole product: `npm start` with nothing else running schedules the jobs
// itself, so a new viewer — watching on another site through the stream's snippet — shows in the
// live page within a minute and in the stream's dashboard after one aggregation period
// (AGGREGATE_EVERY, short here), with no other command, on the embedded database `npm run demo`
// uses. Its own server (e2e/fixtures/ownServer.ts): the shared one runs with SCHEDULER=off.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { uniqueId } from "./fixtures/db";
import { makeHlsClip, type HlsClip } from "./fixtures/hls";
import { addAdminAndStream, startOwnServer, type OwnServer } from "./fixtures/ownServer";
import { startStaticSite, type StaticSite } from "./fixtures/staticSite";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
// In the tracker range of this machine's port plan (E2E_OWN_PORT to move it); the embedded database on PORT + 10.
const PORT = Number(process.env.E2E_OWN_PORT ?? 4510);
const SITE_PORT = PORT + 21;
// The embedded database (npm run demo's); E2E_OWN_DB=postgres runs it on PostgreSQL.
const KIND = process.env.E2E_OWN_DB === "postgres" ? "postgres" : "embedded";
const ADMIN = { email: "own-admin@streamscope.local", password: "own-admin-password" };

// Headless Chromium says so in its user agent, and the server does not count bots.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
test.use({ baseURL: `http://127.0.0.1:${PORT}`, userAgent: USER_AGENT });
test.describe.configure({ timeout: 240_000 });

let server: OwnServer;
let clip: HlsClip;
let site: StaticSite;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  clip = makeHlsClip(120);
  site = await startStaticSite(SITE_PORT);
  site.dir("/hls/", clip.dir);
  site.dir("/vendor/", path.resolve("node_modules/hls.js/dist"));
  server = await startOwnServer({ port: PORT, kind: KIND, env: { AGGREGATE_EVERY: "20s" } });
});
test.afterAll(async () => {
  await server?.stop();
  await site?.close();
  clip?.remove();
});

test(`npm start alone: a new viewer is live within a minute and in the dashboard after one aggregation (${KIND} database)`, async ({ page, browser }) => {
  expect(server.output()).toContain("Scheduled jobs run in this process");
  const streamId = uniqueId("e2e-sched");
  const title = "E2E scheduler stream";
  await addAdminAndStream(server.databaseUrl, { streamId, title, playbackUrl: `${site.origin}/hls/playlist.m3u8`, admin: ADMIN });
  // The platform's own page: its player, and the snippet the stream's admin page gives.
  site.page(
    "/watch.html",
    `<!doctype html><html><head><title>Our race</title><script src="/vendor/hls.min.js"></script></head><body>
<video id="v" controls muted autoplay playsinline width="480"></video>
<script>var h = new Hls(); h.loadSource("/hls/playlist.m3u8"); h.attachMedia(document.getElementById("v"));</script>
<script src="${server.url}/streamscope.js" data-stream="${streamId}" async></script>
</body></html>`,
  );
  const viewer = await browser.newPage({ userAgent: USER_AGENT });
  const started = Date.now();
  await viewer.goto(`${site.origin}/watch.html`);
  await expect.poll(() => viewer.locator("#v").evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(0.3);

  await page.goto(`/login?callbackUrl=${encodeURIComponent("/admin/analytics/live")}`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const card = page.locator(`[data-stream-id="${streamId}"]`);
  await expect(card.getByTestId("current-viewers")).toHaveText("1", { timeout: 60_000 });
  expect(Date.now() - started).toBeLessThan(60_000);
  await page.screenshot({ path: `${SHOTS}/scheduler-live.png`, fullPage: true });

  // The aggregation runs every 20 s here; the dashboard counts the viewer after the next run.
  await page.goto(`/admin/analytics/streams/${streamId}`);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("kpi-unique-viewers-value").textContent();
      },
      { timeout: 90_000, intervals: [5_000] },
    )
    .toBe("1");
  await expect(page.getByTestId("scheduler-notice")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/scheduler-dashboard.png`, fullPage: true });
  await viewer.close();
});
