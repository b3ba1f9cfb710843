import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./adminAuth.helpers";
import { parse } from "csv-parse/sync";

// Screenshots for people to look at; SHOTS_DIR puts them elsewhere.
const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
const STAGE2 = "Alpine Trail Championship — Stage 2";
const REGATTA = "Coastal Regatta Finals";
const LIVE = "Alpine Trail Championship — Stage 3 (live)";

async function tableTitles(page: Page): Promise<string[]> {
  return page.locator("[data-testid=streams-table] tbody td[data-col=title] .stream-link").allTextContents();
}

async function kpi(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(`kpi-${id}-value`).textContent()) ?? "";
}

/** Reads the export back with a real CSV parser (quoted fields, doubled quotes). */
const parseCsv = (text: string): string[][] => parse(text);

test.beforeEach(async ({ page }) => {
  await logIn(page);
});

test("KPIs and the table for the seeded data; date range and organizer change the URL and the figures", async ({ page }) => {
  await page.goto("/admin/analytics/streams");
  await expect(page.getByRole("heading", { name: "Stream analytics" })).toBeVisible();
  await expect(page.getByTestId("kpi-unique-viewers-value")).toHaveText(/^[1-9][\d,]*$/);
  for (const id of ["watch-hours", "avg-view", "peak-concurrent", "buffer-ratio", "error-rate"]) {
    await expect(page.getByTestId(`kpi-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId("daily-chart").locator("svg.recharts-surface").first()).toBeVisible();
  await expect.poll(() => tableTitles(page)).toEqual(expect.arrayContaining([STAGE2, REGATTA, LIVE]));
  const viewers30 = await kpi(page, "unique-viewers");
  const watch30 = await kpi(page, "watch-hours");
  await page.screenshot({ path: `${SHOTS}/admin-streams.png`, fullPage: true });

  // Last 7 days: the regatta (8–9 days ago) drops out.
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/[?&]from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  await expect.poll(() => tableTitles(page)).not.toContain(REGATTA);
  expect(await tableTitles(page)).toContain(STAGE2);
  await expect.poll(() => kpi(page, "unique-viewers")).not.toBe(viewers30);
  expect(await kpi(page, "watch-hours")).not.toBe(watch30);

  // Back to 30 days, one organizer: only the regatta.
  await page.getByRole("button", { name: "30 days" }).click();
  await page.getByLabel("Organizer").selectOption({ label: "Coastal Events" });
  await expect(page).toHaveURL(/[?&]org=org_coastal_events/);
  await expect.poll(() => tableTitles(page)).toEqual([REGATTA]);
  await expect.poll(() => kpi(page, "unique-viewers")).not.toBe(viewers30);

  // The URL alone restores the view.
  await page.reload();
  await expect(page.getByLabel("Organizer")).toHaveValue("org_coastal_events");
  await expect.poll(() => tableTitles(page)).toEqual([REGATTA]);
});

test("the table sorts by a column (kept in the URL)", async ({ page }) => {
  await page.goto("/admin/analytics/streams");
  await expect.poll(() => tableTitles(page)).toEqual(expect.arrayContaining([STAGE2, REGATTA]));
  const asc = (await tableTitles(page)).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  await page.getByRole("button", { name: "Stream", exact: true }).click();
  await expect(page).toHaveURL(/sort=title&dir=asc/);
  await expect.poll(() => tableTitles(page)).toEqual(asc);
  await page.getByRole("button", { name: "Stream", exact: true }).click();
  await expect(page).toHaveURL(/sort=title(&|$)/);
  await expect.poll(() => tableTitles(page)).toEqual([...asc].reverse());
  await expect(page.locator("th[aria-sort=descending]")).toHaveText(/Stream/);
});

test("a stream's page shows its KPIs and charts", async ({ page }) => {
  await page.goto("/admin/analytics/streams");
  const row = page.locator("[data-testid=streams-table] tbody tr", { hasText: STAGE2 });
  const viewersInTable = (await row.locator("td[data-col=uniqueViewers]").textContent())?.trim();
  await row.getByRole("link", { name: STAGE2 }).click();
  await expect(page).toHaveURL(/\/admin\/analytics\/streams\/demo-ended-bunny$/);
  await expect(page.getByRole("heading", { name: STAGE2 })).toBeVisible();
  // The whole stream lies inside the last 30 days, so its all-time viewers equal the table's.
  await expect(page.getByTestId("kpi-unique-viewers-value")).toHaveText(viewersInTable!);
  for (const chart of ["concurrency-chart", "daily-chart", "countries-chart", "devices-chart", "quality-chart"]) {
    await expect(page.getByTestId(chart).locator("svg.recharts-surface").first(), chart).toBeVisible();
  }
  await expect(page.getByTestId("concurrency-chart").locator(".recharts-area-area")).toHaveCount(1);
  await expect(page.getByTestId("countries-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  // A Bunny stream carries Bunny's own statistics block; a YouTube stream does not.
  await expect(page.getByTestId("bunny-stats")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-stream.png`, fullPage: true });
  await page.goto("/admin/analytics/streams/demo-ended-youtube");
  await expect(page.getByRole("heading", { name: REGATTA })).toBeVisible();
  await expect(page.getByTestId("concurrency-chart").locator("svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("bunny-stats")).toHaveCount(0);
});

test("the CSV download holds exactly the table's rows", async ({ page }) => {
  await page.goto("/admin/analytics/streams?sort=title&dir=asc&size=100");
  await expect.poll(() => tableTitles(page)).toEqual(expect.arrayContaining([STAGE2, REGATTA]));
  const rows = page.locator("[data-testid=streams-table] tbody tr");
  const table = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.getAttribute("data-stream-id"),
      viewers: tr.querySelector("td[data-col=uniqueViewers]")?.textContent?.replace(/,/g, ""),
      views: tr.querySelector("td[data-col=sessions]")?.textContent?.replace(/,/g, ""),
      peak: tr.querySelector("td[data-col=peakConcurrent]")?.textContent?.replace(/,/g, ""),
    })),
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^streamscope-streams_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...lines] = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  const col = (name: string) => header!.indexOf(name);
  expect(lines.map((l) => ({ id: l[col("stream_id")], viewers: l[col("unique_viewers")], views: l[col("sessions")], peak: l[col("peak_concurrent_viewers")] }))).toEqual(table);

  // Only for admins.
  const anonymous = await page.request.fetch("/api/admin/analytics/streams.csv", { headers: { cookie: "" } });
  expect(anonymous.status()).toBe(401);
});

test("an API failure shows an error with a retry that recovers", async ({ page }) => {
  let fail = true;
  await page.route("**/api/trpc/**", (route) => (fail ? route.fulfill({ status: 500, contentType: "application/json", body: "{}" }) : route.continue()));
  await page.goto("/admin/analytics/streams");
  const errors = page.getByTestId("error-state");
  await expect(errors.first()).toBeVisible({ timeout: 15_000 });
  await expect(errors.first().getByRole("button", { name: "Retry" })).toBeVisible();
  fail = false;
  // Each failed section has its own Retry; a retry may also bring back the others (one batch).
  await expect(async () => {
    if ((await errors.count()) > 0) await errors.first().getByRole("button", { name: "Retry" }).click({ timeout: 2_000 });
    await expect(errors).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("kpi-unique-viewers-value")).toBeVisible();
  await expect(page.getByTestId("streams-table")).toBeVisible();
  await expect(errors).toHaveCount(0);
});

test("the live page lists the live stream and polls every 10 s", async ({ page }) => {
  await page.goto("/admin/analytics/live");
  const card = page.locator("[data-testid=live-streams] li", { hasText: LIVE });
  await expect(card).toBeVisible();
  await expect(card.getByTestId("current-viewers")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("live-updated")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-live.png`, fullPage: true });
  const next = await page.waitForRequest((r) => r.url().includes("/api/trpc/analytics.live"), { timeout: 15_000 });
  expect(next.method()).toBe("GET");
});

test("readable on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/analytics/streams");
  await expect(page.getByTestId("kpi-unique-viewers-value")).toBeVisible();
  await expect(page.getByTestId("streams-table")).toBeVisible();
  // Nothing but the table's own scroller is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/admin-streams-phone.png`, fullPage: true });
});
