// The README's first command, end to end on the embedded database: the app started as `npm run demo`
// starts it (src/cli/demo.ts; no DATABASE_URL, a fresh data folder, so PGlite is created, migrated
// and seeded), a viewer plays the live demo stream in Chromium (hls.js), the aggregation job runs
// through its cron route, and the admin sees that viewing in the live view and on the stream's page.
// Its own server process (not playwright.config.ts's, which runs on PostgreSQL), on E2E_PORT + 10,
// its database on E2E_PORT + 11.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./adminAuth.helpers";

const SHOTS = process.env.SHOTS_DIR ?? "test-results/shots";
const port = Number(process.env.E2E_PORT ?? 3100) + 10;
const base = `http://127.0.0.1:${port}`;
const CRON_SECRET = "demo-e2e-cron-secret";
const LIVE_ID = "demo-live-bunny";
const LIVE_TITLE = "Alpine Trail Championship — Stage 3 (live)";

let server: ChildProcess | undefined;
let exited: Promise<void> | undefined;
let dataDir = "";
let output = "";

async function healthy(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the demo exited (${server.exitCode}):\n${output.slice(-3000)}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo did not answer /api/health in time:\n${output.slice(-3000)}`);
}

test.describe.configure({ mode: "serial" });
test.use({
  baseURL: base,
  // Headless Chromium says so in its user agent, and the server does not store bots' events.
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
});

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "streamscope-demo-e2e-"));
  // The environment `npm run demo` gives it (scripts/demo.sh), minus any database: the demo must
  // find none and make its own.
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: base,
    NEXTAUTH_SECRET: "demo-e2e-secret-demo-e2e-secret-0123",
    CRON_SECRET,
    EMBEDDED_DB_DIR: path.join(dataDir, "pglite"),
    EMBEDDED_DB_PORT: String(port + 1),
    LOG_LEVEL: "warn",
  };
  // --no-audience: this test counts its one viewer (the demo's simulated audience is on by default).
  server = spawn("node_modules/.bin/tsx", ["src/cli/demo.ts", "--no-audience"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  exited = new Promise((resolve) => server!.once("exit", () => resolve()));
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  await healthy(Date.now() + 280_000);
  expect(output).toContain(`embedded PGlite (${path.join(dataDir, "pglite")})`);
});

test.afterAll(async () => {
  // tsx runs the script in a child of its own: end the whole process group.
  if (server?.pid && server.exitCode === null) {
    process.kill(-server.pid, "SIGTERM");
    const killer = setTimeout(() => server?.pid && process.kill(-server.pid, "SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The demo admin's password, made by the demo on its first run in .data/ (src/cli/demo.ts). */
function demoAdmin() {
  return { email: "admin@streamscope.local", password: fs.readFileSync(path.resolve(".data/demo-admin-password"), "utf8").trim() };
}

async function runAggregation() {
  const res = await fetch(`${base}/api/cron/aggregate`, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "succeeded" });
}

const kpi = (page: Page, id: string) => page.getByTestId(`kpi-${id}-value`);
const liveCard = (page: Page) => page.getByTestId("live-streams").locator(`[data-stream-id="${LIVE_ID}"]`);

test("a viewer of the live demo stream is stored, counted by the job, and shown to the admin", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const admin = await browser.newPage({ baseURL: base });
  await logIn(admin, demoAdmin(), "/admin");

  // Before: the seeded audience, aggregated (the seed's sessions ended a minute before it ran).
  await runAggregation();
  await admin.goto(`/admin/analytics/streams/${LIVE_ID}`);
  await expect(kpi(admin, "views")).toHaveText(/^\d[\d,]*$/);
  const viewsBefore = Number((await kpi(admin, "views").textContent())!.replace(/,/g, ""));
  expect(viewsBefore).toBeGreaterThan(0);
  await admin.goto("/admin/analytics/live");
  await expect(liveCard(admin).getByTestId("current-viewers")).toHaveText("0");

  // The viewer: every batch the tracker sends is answered 202 (on the embedded database each was
  // refused 503 before the named statement went).
  const answers: number[] = [];
  page.on("response", (res) => {
    if (res.request().method() === "POST" && res.url().endsWith("/api/analytics/events")) answers.push(res.status());
  });
  await page.clock.install();
  await page.goto(`/streams/${LIVE_ID}`);
  await expect(page.getByRole("heading", { name: LIVE_TITLE })).toBeVisible();
  // A live stream starts by itself (muted autoplay, which the e2e Chromium allows): the play
  // button goes once the first frame shows.
  await expect(page.getByRole("button", { name: `Play ${LIVE_TITLE}` })).toBeHidden({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId("hls-video").evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(1);
  // The heartbeat (15 s) fires and the waiting batch leaves.
  await page.clock.fastForward(16_000);
  await expect.poll(() => answers.length).toBeGreaterThan(0);
  await page.clock.fastForward(16_000);
  expect(answers.every((s) => s === 202)).toBe(true);

  // Viewers of the other demo streams at the same moment: their stream lookups run at once on
  // several pool connections, which share PGlite's one session (a named prepared statement
  // collided there: every such batch was refused 503).
  const others = await Promise.all(
    ["demo-ended-bunny", "demo-ended-youtube", "demo-scheduled"].map((streamId, i) => {
      const sentAt = Date.now();
      const events = [0, 1, 2].map((k) => ({ type: k === 0 ? "play" : "heartbeat", ts: sentAt - 30_000 + k * 15_000, videoTime: k * 15, seq: k + 1 }));
      return page.request
        .post("/api/analytics/events", { data: { streamId, clientId: `demo-e2e-other-${i}-${sentAt}`, sentAt, events }, headers: { "x-forwarded-for": `198.51.100.${40 + i}` } })
        .then((r) => r.status());
    }),
  );
  expect(others).toEqual([202, 202, 202]);

  // The live view: one viewer watching now (a session with an event in the last 60 s).
  await expect(async () => {
    await admin.reload();
    await expect(liveCard(admin).getByTestId("current-viewers")).toHaveText("1", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await admin.screenshot({ path: `${SHOTS}/demo-live.png`, fullPage: true });

  // The job runs; the stream's page counts one view more.
  await runAggregation();
  await admin.goto(`/admin/analytics/streams/${LIVE_ID}`);
  await expect(kpi(admin, "views")).toHaveText(new Intl.NumberFormat("en-US").format(viewsBefore + 1));
  await admin.screenshot({ path: `${SHOTS}/demo-stream.png`, fullPage: true });
  await admin.close();
});
