// The catalogue's admin forms in Chromium: organizers and streams created, edited, moved through
// their statuses, archived and restored; every form's bad input shows field errors on screen.
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./adminAuth.helpers";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
const GUID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const run = Date.now().toString(36);

test.beforeEach(async ({ page }) => {
  await logIn(page);
});

const fieldError = (page: Page, name: string) => page.getByTestId(`error-${name}`);

test("organizers: bad input shows field errors; create, rename, archive (refused while it has streams) and restore", async ({ page }) => {
  await page.goto("/admin/organizers");
  await expect(page.getByRole("heading", { name: "Organizers" })).toBeVisible();
  const form = page.getByRole("form", { name: "New organizer" });

  // Nothing typed, and a slug with capitals and spaces.
  await form.getByLabel("Slug").fill("Not A Slug!");
  await form.getByRole("button", { name: "Create organizer" }).click();
  await expect(fieldError(page, "name")).toHaveText("Name is required");
  await expect(fieldError(page, "slug")).toContainText("lower-case letters, digits and single dashes");
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");

  const name = `Harbour Sports ${run}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Slug").fill("");
  await form.getByRole("button", { name: "Create organizer" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
  await expect(fieldError(page, "name")).toHaveCount(0);
  const row = page.getByTestId("organizers-table").locator("tr", { hasText: name });
  await expect(row.locator("code")).toHaveText(`harbour-sports-${run}`);
  await page.screenshot({ path: `${SHOTS}/admin-organizers.png`, fullPage: true });

  // A second one with the same slug: refused, naming the slug.
  await form.getByLabel("Name").fill(`Other ${run}`);
  await form.getByLabel("Slug").fill(`harbour-sports-${run}`);
  await form.getByRole("button", { name: "Create organizer" }).click();
  await expect(fieldError(page, "slug")).toHaveText("Slug is taken by another organizer");

  // Rename on its page.
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const edit = page.getByRole("form", { name: "Edit organizer" });
  await edit.getByLabel("Name").fill("");
  await edit.getByRole("button", { name: "Save organizer" }).click();
  await expect(fieldError(page, "name")).toHaveText("Name is required");
  await edit.getByLabel("Name").fill(`${name} Ltd`);
  await edit.getByRole("button", { name: "Save organizer" }).click();
  await expect(page.getByRole("heading", { name: `${name} Ltd` })).toBeVisible();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  const organizerUrl = page.url();

  // Give it a stream: archiving the organizer is refused until the stream is archived.
  await page.getByRole("link", { name: "Its streams" }).click();
  await page.getByRole("link", { name: "New stream" }).click();
  const sf = page.getByRole("form", { name: "New stream" });
  await expect(sf.getByLabel("Organizer")).toHaveValue(/.+/);
  await sf.getByLabel("Title").fill(`Harbour Sprint ${run}`);
  await sf.getByLabel("YouTube").check();
  await sf.getByLabel("YouTube video").fill("https://youtu.be/dQw4w9WgXcQ");
  await sf.getByRole("button", { name: "Create stream" }).click();
  await expect(page).toHaveURL(/\/admin\/streams\/[^/?]+\?created=1$/);
  const streamUrl = page.url().replace(/\?.*$/, "");

  await page.goto(organizerUrl);
  await page.getByRole("button", { name: "Archive organizer" }).click();
  await expect(page.getByTestId("archive-error")).toHaveText("has 1 stream not archived: archive them first");

  await page.goto(streamUrl);
  await page.getByRole("button", { name: "Archive stream" }).click();
  await expect(page.getByTestId("stream-archived")).toBeVisible();
  await page.goto(organizerUrl);
  await page.getByRole("button", { name: "Archive organizer" }).click();
  await expect(page.getByRole("button", { name: "Restore organizer" })).toBeVisible();

  // Hidden from the list, kept under Archived.
  await page.goto("/admin/organizers");
  await expect(page.getByTestId("organizers-table")).toBeVisible();
  await expect(page.getByTestId("organizers-table").locator("tr", { hasText: `${name} Ltd` })).toHaveCount(0);
  await page.getByRole("tab", { name: "Archived" }).click();
  await expect(page.getByTestId("organizers-table").locator("tr", { hasText: `${name} Ltd` })).toHaveCount(1);

  await page.goto(organizerUrl);
  await page.getByRole("button", { name: "Restore organizer" }).click();
  await expect(page.getByRole("button", { name: "Archive organizer" })).toBeVisible();
});

test("streams: bad input shows field errors; a pasted Bunny URL becomes its ids; live and ended stamp the times; archive and restore", async ({ page }) => {
  await page.goto("/admin/streams/new");
  const form = page.getByRole("form", { name: "New stream" });
  // Everything wrong at once: no organizer, no title, an end before the start, not a Bunny URL.
  await form.getByLabel("Scheduled start").fill("2026-12-24T18:00");
  await form.getByLabel("Scheduled end").fill("2026-12-24T17:00");
  await form.getByLabel("Bunny URL").fill("https://example.com/video/42");
  await form.getByRole("button", { name: "Create stream" }).click();
  await expect(fieldError(page, "organizerId")).toHaveText("Organizer is required");
  await expect(fieldError(page, "title")).toHaveText("Title is required");
  await expect(fieldError(page, "scheduledEndAt")).toHaveText("Scheduled end must be on or after the scheduled start");
  await expect(fieldError(page, "bunnyUrl")).toContainText("is not a Bunny Stream URL");
  await expect(page.getByTestId("form-error")).toHaveText("Please fix the fields marked below.");
  await page.screenshot({ path: `${SHOTS}/admin-stream-errors.png`, fullPage: true });

  // The ids by hand, wrong.
  await form.getByLabel("Bunny URL").fill("");
  await form.getByLabel("Library id").fill("lib-one");
  await form.getByLabel("Video GUID").fill("not-a-guid");
  await form.getByRole("button", { name: "Create stream" }).click();
  await expect(fieldError(page, "bunnyVideoGuid")).toContainText("must be a GUID");
  await expect(fieldError(page, "bunnyLibraryId")).toContainText("must be the library's number");

  // YouTube, wrong.
  await form.getByLabel("YouTube").check();
  await form.getByLabel("YouTube video").fill("https://vimeo.com/123");
  await form.getByRole("button", { name: "Create stream" }).click();
  await expect(fieldError(page, "youtube")).toHaveText("YouTube video is not a YouTube video URL or id");

  // Right: Bunny's embed URL pasted.
  await form.getByLabel("Bunny Stream").check();
  await form.getByLabel("Organizer").selectOption({ label: "Coastal Events" });
  const title = `Night Regatta ${run}`;
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Scheduled end").fill("2026-12-24T20:00");
  await form.getByLabel("Bunny URL").fill(`https://iframe.mediadelivery.net/embed/218441/${GUID}?autoplay=true`);
  await form.getByLabel("Library id").fill("");
  await form.getByLabel("Video GUID").fill("");
  await form.getByLabel("Playback host").fill("vz-a1b2c3d4-e5f.b-cdn.net");
  await form.getByRole("button", { name: "Create stream" }).click();
  await expect(page).toHaveURL(/\/admin\/streams\/[^/?]+\?created=1$/);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const edit = page.getByRole("form", { name: "Edit stream" });
  await expect(edit.getByLabel("Library id")).toHaveValue("218441");
  await expect(edit.getByLabel("Video GUID")).toHaveValue(GUID);
  await expect(edit.getByLabel("Playback host")).toHaveValue("vz-a1b2c3d4-e5f.b-cdn.net");
  await expect(page.getByTestId("stream-status")).toHaveText("scheduled");
  await expect(page.getByTestId("started-at")).toHaveText("—");

  // Edit: a bad title, then a good one.
  await edit.getByLabel("Title").fill("");
  await edit.getByRole("button", { name: "Save stream" }).click();
  await expect(fieldError(page, "title")).toHaveText("Title is required");
  await edit.getByLabel("Title").fill(`${title} (final)`);
  await edit.getByRole("button", { name: "Save stream" }).click();
  await expect(page.getByRole("heading", { name: `${title} (final)` })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  // scheduled → live → ended.
  await page.getByRole("button", { name: "Go live" }).click();
  await expect(page.getByTestId("stream-status")).toHaveText("live");
  await expect(page.getByTestId("started-at")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  const started = await page.getByTestId("started-at").textContent();
  await page.getByRole("button", { name: "Archive stream" }).click();
  await expect(page.getByTestId("status-error")).toHaveText("is live: end it before archiving");
  await page.screenshot({ path: `${SHOTS}/admin-stream-edit.png`, fullPage: true });
  await page.getByRole("button", { name: "End stream" }).click();
  await expect(page.getByTestId("stream-status")).toHaveText("ended");
  await expect(page.getByTestId("ended-at")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  await expect(page.getByTestId("started-at")).toHaveText(started!);

  // Archive: gone from the list, under Archived, restorable.
  await page.getByRole("button", { name: "Archive stream" }).click();
  await expect(page.getByTestId("stream-archived")).toBeVisible();
  const url = page.url();
  await page.goto("/admin/streams");
  await expect(page.getByTestId("catalog-streams-table")).toBeVisible();
  await expect(page.getByRole("link", { name: `${title} (final)` })).toHaveCount(0);
  await page.getByRole("tab", { name: "Archived" }).click();
  await expect(page.getByRole("link", { name: `${title} (final)` })).toBeVisible();
  await page.goto(url);
  await page.getByRole("button", { name: "Restore stream" }).click();
  await expect(page.getByTestId("stream-archived")).toHaveCount(0);
  await page.goto("/admin/streams");
  await expect(page.getByRole("link", { name: `${title} (final)` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-streams-catalog.png`, fullPage: true });
});

test("API tokens: bad input shows field errors; a token is shown once, its use is stamped, revoked it stops working", async ({ page, request }) => {
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "New token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(fieldError(page, "name")).toHaveText("Name is required");

  const name = `BI export ${run}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Scope").selectOption("read");
  await form.getByLabel("Organizer").selectOption({ label: "Coastal Events" });
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("token-value").textContent())!;
  expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("tokens-table").locator("tr", { hasText: name });
  await expect(row).toContainText(`${token.slice(0, 10)}…`);
  await expect(row).toContainText("Coastal Events");
  await expect(row.getByTestId("last-used")).toHaveText("never");
  await page.screenshot({ path: `${SHOTS}/admin-tokens.png`, fullPage: true });

  // Shown once: a reload shows only its first characters.
  await page.reload();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);

  // Used: the list says when.
  const ok = await request.get("/api/v1/streams", { headers: { authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  await page.reload();
  await expect(row.getByTestId("last-used")).toHaveText(/UTC$/);

  // Revoked: 401 at once.
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  const refused = await request.get("/api/v1/streams", { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
});
