import { expect, test } from "@playwright/test";

test("the home page lists the seeded streams and a stream page opens", async ({ page }) => {
  await page.goto("/");
  const list = page.getByTestId("stream-list");
  await expect(list.getByRole("link", { name: "Alpine Trail Championship — Stage 3 (live)" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Coastal Regatta Finals" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Harbour Night Sprint" })).toBeVisible();
  await list.getByRole("link", { name: "Coastal Regatta Finals" }).click();
  await expect(page).toHaveURL(/\/streams\/demo-ended-youtube$/);
  await expect(page.getByRole("heading", { name: "Coastal Regatta Finals" })).toBeVisible();
});

test("health answers 200 with the database up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
});
