// The Bunny block on the admin stream page: shown for a Bunny stream and filled by "Sync now"
// (the server calls a fake Bunny API this file starts on the port playwright.config.ts points
// BUNNY_API_URL at), absent on a YouTube stream. Uses its own streams so other specs' figures for
// the demo streams stay as seeded.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startFakeBunny, type FakeBunnyServer } from "../src/bunny/fakeBunny.testkit";
import { fakeDay } from "../src/bunny/answers.testkit";
import { logIn } from "./adminAuth.helpers";

// Same port and key as playwright.config.ts gives the server.
const FAKE_BUNNY_PORT = Number(process.env.E2E_PORT ?? 3100) + 1000;
const FAKE_BUNNY_KEY = "e2e-bunny-key";

let fake: FakeBunnyServer;

test.beforeAll(async () => {
  fake = await startFakeBunny({ apiKey: FAKE_BUNNY_KEY, port: FAKE_BUNNY_PORT });
});
test.afterAll(async () => {
  await fake?.close();
});

async function insertBunnyStream(opts: { guid: string | null; ownDay?: string }) {
  const id = `e2e-bunny-${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO streams (id, organizer_id, title, status, started_at, ended_at, updated_at)
       VALUES ($1, 'org_alpine_racing', $2, 'ended', now() - interval '2 days', now() - interval '2 days' + interval '2 hours', now())`,
      [id, `Bunny sync check ${id.slice(-8)}`],
    );
    await client.query(
      `INSERT INTO stream_providers (id, stream_id, provider, bunny_library_id, bunny_video_guid, bunny_playback_host, updated_at)
       VALUES ($1, $2, 'bunny_stream', '218441', $3, 'vz-e2e.b-cdn.net', now())`,
      [`prov-${id}`, id, opts.guid],
    );
    if (opts.ownDay) {
      await client.query(
        `INSERT INTO stream_daily_stats (stream_id, day, viewers, sessions, watch_seconds) VALUES ($1, $2, 3, 4, 5400)`,
        [id, opts.ownDay],
      );
    }
  } finally {
    await client.end();
  }
  return id;
}

const dayOffset = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test("a Bunny stream's page shows the Bunny block, and Sync now fills it from Bunny", async ({ page }) => {
  const guid = `e2e-guid-${randomBytes(4).toString("hex")}`;
  const yesterday = dayOffset(1);
  const id = await insertBunnyStream({ guid, ownDay: yesterday });
  await logIn(page, undefined, `/admin/analytics/streams/${id}`);

  const block = page.getByTestId("bunny-stats");
  await expect(block.getByRole("heading", { name: "Bunny Stream" })).toBeVisible();
  await expect(block.getByTestId("bunny-empty")).toBeVisible();

  await block.getByRole("button", { name: "Sync now" }).click();
  await expect(block.getByRole("status")).toContainText("Synced 30 day(s) from Bunny");
  await expect(block.getByTestId("bunny-last-sync")).toContainText("(succeeded)");

  // Yesterday: Bunny's figures from the fake beside ours (4 sessions, 5400 s = 1h 30m).
  const want = fakeDay(guid, yesterday);
  const row = block.getByTestId("bunny-days").locator(`tr[data-day="${yesterday}"]`);
  await expect(row.locator("td").nth(0)).toHaveText(new Intl.NumberFormat("en-US").format(want.views));
  await expect(row.locator("td").nth(2)).toHaveText("4");
  await expect(row.locator("td").nth(3)).toHaveText("1h 30m");
  await expect(block.getByTestId("bunny-countries").getByRole("rowheader", { name: "DE" })).toBeVisible();
  await expect(block.getByTestId("bunny-engagement")).not.toHaveText("—");
  await expect(block.getByTestId("bunny-total-views")).not.toHaveText("—");

  // The request reached Bunny (the fake) for this video, one day at a time, with the key.
  const calls = fake.requests.filter((r) => r.videoGuid === guid);
  expect(calls).toHaveLength(30);
  expect(calls.every((r) => r.accessKey === FAKE_BUNNY_KEY && r.libraryId === "218441")).toBe(true);

  await page.screenshot({ path: `${process.env.SHOTS_DIR ?? "test-results/shots"}/bunny-block.png`, fullPage: true });
});

test("Sync now says why it is disabled when the stream cannot be synced", async ({ page }) => {
  const id = await insertBunnyStream({ guid: null });
  await logIn(page, undefined, `/admin/analytics/streams/${id}`);
  const block = page.getByTestId("bunny-stats");
  await expect(block.getByRole("button", { name: "Sync now" })).toBeDisabled();
  await expect(block.getByTestId("bunny-sync-disabled")).toContainText("has no video GUID");
});

test("a YouTube stream's page has no Bunny block", async ({ page }) => {
  await logIn(page, undefined, "/admin/analytics/streams/demo-ended-youtube");
  await expect(page.getByRole("heading", { name: "Coastal Regatta Finals" })).toBeVisible();
  await expect(page.getByTestId("bunny-stats")).toHaveCount(0);
  await expect(page.getByText("Bunny Stream", { exact: true })).toHaveCount(0);
});
