// The "Done when", on the embedded database: a newcomer's server (npm start: the
// scheduler inside, no other command), an organizer and a Bunny stream added in the admin UI, the
// stream's snippet pasted into a static page on another origin next to Bunny's iframe player
// (a stand-in speaking player.js), played; the viewing shows in the live page within a minute
// and in the dashboard after the next aggregation.
import { expect, test } from "@playwright/test";
import { BUNNY_PLAYERJS_PAGE } from "./fixtures/bunnyPlayerjs";
import { addAdmin, startOwnServer, type OwnServer } from "./fixtures/ownServer";
import { startStaticSite, type StaticSite } from "./fixtures/staticSite";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
// Tracker range of the machine's port plan; the embedded database on PORT + 10.
const PORT = Number(process.env.E2E_NEWCOMER_PORT ?? 4560);
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const ADMIN = { email: "newcomer@streamscope.local", password: "newcomer-password-1" };
const GUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

test.use({ baseURL: `http://127.0.0.1:${PORT}`, userAgent: USER_AGENT });
test.describe.configure({ timeout: 300_000 });

let server: OwnServer;
let site: StaticSite;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  site = await startStaticSite(PORT + 1);
  server = await startOwnServer({ port: PORT, kind: "embedded", env: { AGGREGATE_EVERY: "20s" } });
  await addAdmin(server.databaseUrl, ADMIN);
});
test.afterAll(async () => {
  await server?.stop();
  await site?.close();
});

test("a newcomer adds a Bunny stream, pastes its snippet on another site, and sees the viewing live and in the dashboard", async ({ page, browser }) => {
  await page.goto(`/login?callbackUrl=${encodeURIComponent("/admin/organizers")}`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Organizers" })).toBeVisible();

  const org = page.getByRole("form", { name: "New organizer" });
  await org.getByLabel("Name").fill("Lakeside Rowing Club");
  await org.getByRole("button", { name: "Create organizer" }).click();
  await expect(page.getByRole("status")).toHaveText("Created “Lakeside Rowing Club”.");

  await page.goto("/admin/streams/new");
  const sf = page.getByRole("form", { name: "New stream" });
  await sf.getByLabel("Organizer").selectOption({ label: "Lakeside Rowing Club" });
  await sf.getByLabel("Title").fill("Lakeside Regatta Finals");
  await sf.getByLabel("Bunny Stream").check();
  const embed = `https://iframe.mediadelivery.net/embed/218441/${GUID}`;
  await sf.getByLabel("Bunny URL").fill(`${embed}?autoplay=false`);
  await sf.getByRole("button", { name: "Create stream" }).click();
  await expect(page).toHaveURL(/\/admin\/streams\/[^/?]+\?created=1$/);
  const streamId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  await page.getByRole("button", { name: "Go live" }).click();
  await expect(page.getByTestId("stream-status")).toHaveText("live");
  const snippet = (await page.getByTestId("tracker-snippet").textContent())!;
  expect(snippet).toBe(`<script src="${server.url}/streamscope.js" data-stream="${streamId}" async></script>`);
  await page.getByTestId("tracker-snippet-section").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/newcomer-stream-snippet.png`, fullPage: true });

  // The platform's own page: Bunny's embed code and the pasted snippet, nothing else.
  site.page("/finals.html", `<!doctype html><html><head><title>Lakeside Regatta</title></head><body>
<h1>Lakeside Regatta Finals — live</h1>
<iframe id="player" src="${embed}?autoplay=false" width="640" height="360" allow="autoplay; fullscreen" allowfullscreen></iframe>
${snippet}
</body></html>`);
  const viewer = await browser.newPage({ userAgent: USER_AGENT });
  await viewer.route(`${embed}**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: BUNNY_PLAYERJS_PAGE }));
  await viewer.goto(`${site.origin}/finals.html`);
  const frame = viewer.frameLocator("#player").locator("body");
  await expect.poll(() => frame.evaluate(() => (window as unknown as { __bunny: { subscribed(): string[] } }).__bunny.subscribed())).toContain("timeupdate");
  const started = Date.now();
  // The viewer presses play; the player reports its position four times a second.
  await frame.evaluate(() => {
    const b = (window as unknown as { __bunny: { play(): void; time(s: number): void } }).__bunny;
    b.play();
    let t = 0;
    setInterval(() => b.time((t += 0.25)), 250);
  });

  await page.goto("/admin/analytics/live");
  const card = page.locator(`[data-stream-id="${streamId}"]`);
  await expect(card.getByTestId("current-viewers")).toHaveText("1", { timeout: 60_000 });
  expect(Date.now() - started).toBeLessThan(60_000);
  await page.screenshot({ path: `${SHOTS}/newcomer-live.png`, fullPage: true });

  await page.goto(`/admin/analytics/streams/${encodeURIComponent(streamId)}`);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("kpi-unique-viewers-value").textContent({ timeout: 5_000 }).catch(() => null);
      },
      { timeout: 90_000, intervals: [5_000] },
    )
    .toBe("1");
  await page.screenshot({ path: `${SHOTS}/newcomer-dashboard.png`, fullPage: true });
  await viewer.close();
});
