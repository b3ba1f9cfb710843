import { expect, test } from "@playwright/test";
import { ADMIN, ensurePlainUser, logIn } from "./adminAuth.helpers";

const adminPages = ["/admin", "/admin/analytics/streams", "/admin/analytics/live", "/admin/analytics/streams/demo-ended-bunny"];

test("signed out: every admin page sends to the login, and tRPC answers 401", async ({ page, request }) => {
  for (const path of adminPages) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    expect(decodeURIComponent(new URL(page.url()).searchParams.get("callbackUrl") ?? "")).toBe(path);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
  const res = await request.get("/api/trpc/analytics.organizers");
  expect(res.status()).toBe(401);
  expect(JSON.stringify(await res.json())).toContain("UNAUTHORIZED");
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("the admin signs in, comes back to the page asked for, and signs out", async ({ page }) => {
  await page.goto("/admin/analytics/live");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/analytics\/live$/);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
  const links = page.getByTestId("admin-links");
  await expect(links.getByRole("link", { name: "Stream analytics" })).toHaveAttribute("href", "/admin/analytics/streams");
  await expect(links.getByRole("link", { name: "Live now" })).toHaveAttribute("href", "/admin/analytics/live");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});

test("a signed-in user without the admin role gets 403 on pages and FORBIDDEN from tRPC", async ({ page }) => {
  const user = await ensurePlainUser();
  await logIn(page, user, "/");
  for (const path of adminPages) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "403 — not allowed" })).toBeVisible();
  }
  const res = await page.request.get("/api/trpc/analytics.organizers");
  expect(res.status()).toBe(403);
  expect(JSON.stringify(await res.json())).toContain("FORBIDDEN");
});
