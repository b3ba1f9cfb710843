import pg from "pg";
import { expect, test } from "@playwright/test";
import { ensurePlainUser, logIn } from "./adminAuth.helpers";

// Screenshots for people to look at; SHOTS_DIR puts them elsewhere.
const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";

test.describe("/admin/jobs", () => {
  test("lists recent job runs with figures and failures, filters by job and outcome", async ({ page }) => {
    // A failed run to show next to the seed's aggregation run.
    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO job_runs (name, trigger, status, started_at, finished_at, figures, error)
         VALUES ('bunny-sync', 'cron', 'failed', now() - interval '3 minutes', now() - interval '3 minutes' + interval '1.2 seconds',
                 '{"seconds": 1.2}', 'Bunny answered 401 Unauthorized: check BUNNY_API_KEY')`,
      );
    } finally {
      await client.end();
    }

    await logIn(page, undefined, "/admin/jobs");
    await expect(page.getByRole("heading", { name: "Job runs" })).toBeVisible();
    const summaries = page.getByTestId("job-summaries");
    await expect(summaries.locator("[data-job=aggregate]")).toContainText("succeeded");
    await expect(summaries.locator("[data-job=bunny-sync]")).toContainText(/1 failed of \d+ in 24 h/);
    await expect(summaries.locator("[data-job=retention]")).toContainText("never run");

    const runs = page.getByTestId("job-runs");
    await expect(runs.locator("tr[data-job=aggregate][data-status=succeeded]").first()).toContainText("streams:");
    await expect(runs.locator("tr[data-status=failed]").first()).toContainText("Bunny answered 401 Unauthorized");
    await page.screenshot({ path: `${SHOTS}/admin-jobs.png`, fullPage: true });

    await page.getByLabel("Outcome").selectOption("failed");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/status=failed/);
    await expect(runs.locator("tbody tr")).toHaveCount(1);
    await expect(runs.locator("tbody tr")).toHaveAttribute("data-job", "bunny-sync");

    await page.goto("/admin/jobs?job=retention");
    await expect(page.getByTestId("no-runs")).toContainText("No job runs match these filters");
  });

  test("is for admins only", async ({ page }) => {
    await page.goto("/admin/jobs");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fjobs/);
    const user = await ensurePlainUser();
    await logIn(page, user, "/admin");
    await page.goto("/admin/jobs");
    await expect(page.getByTestId("job-runs")).toHaveCount(0);
  });
});

test("/privacy lets the viewer reset the random viewer id", async ({ page }) => {
  await page.goto("/privacy");
  await page.evaluate(() => {
    localStorage.setItem("ss.cid", "resetme0123456789");
    localStorage.setItem("ss.seq", "42");
  });
  await page.reload();
  await expect(page.getByTestId("viewer-id")).toHaveText("resetme0123456789");
  await page.getByRole("button", { name: "Reset my viewer id" }).click();
  await expect(page.getByRole("status")).toContainText("new, unrelated viewer id");
  expect(await page.evaluate(() => [localStorage.getItem("ss.cid"), localStorage.getItem("ss.seq")])).toEqual([null, null]);
  await page.screenshot({ path: `${SHOTS}/privacy-reset.png`, fullPage: true });
});
