// End-to-end: a real browser sends batches to the production server (npm start: the fast door)
// the way the player does — navigator.sendBeacon (text/plain;charset=UTF-8) and fetch keepalive
// (application/json) — and they land in PostgreSQL as one session.
import { expect, test } from "@playwright/test";
import pg from "pg";

const clientId = `e2e-${Date.now().toString(36)}`;

// Headless Chromium says "HeadlessChrome" in its User-Agent, which isbot rightly calls a bot (and
// ingestion drops): these tests present themselves as the desktop Chrome a viewer would use.
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
test.use({ userAgent: DESKTOP_CHROME });

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

test("a browser's beacon and keepalive fetch are stored, in one session", async ({ page }) => {
  await page.goto("/");
  const info = await page.evaluate(async () => (await fetch("/api/streams/demo-live-bunny")).json());
  expect(info).toMatchObject({ id: "demo-live-bunny", status: "live", provider: { kind: "bunny_stream" } });

  const queued = await page.evaluate((clientId) => {
    const now = Date.now();
    const batch = (seq: number, events: { type: string; ts: number; videoTime: number; extra?: object }[]) =>
      JSON.stringify({ streamId: "demo-live-bunny", clientId, sentAt: now, events: events.map((e, i) => ({ ...e, seq: seq + i })) });
    const beacon = navigator.sendBeacon(
      "/api/analytics/events",
      batch(1, [
        { type: "play", ts: now - 30_000, videoTime: 0, extra: { startupMs: 700 } },
        { type: "heartbeat", ts: now - 15_000, videoTime: 15 },
      ]),
    );
    return fetch("/api/analytics/events", {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json" },
      body: batch(3, [{ type: "heartbeat", ts: now, videoTime: 30 }]),
    }).then(async (r) => ({ beacon, status: r.status, body: await r.json() }));
  }, clientId);
  expect(queued).toEqual({ beacon: true, status: 202, body: { ingested: 1, duplicates: 0 } });

  await expect
    .poll(async () => (await query<{ n: number }>("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]))[0]!.n)
    .toBe(3);
  const sessions = await query<{ event_count: number; watch_seconds: number; startup_ms: number; device_class: string; country: string }>(
    "SELECT event_count, watch_seconds, startup_ms, device_class, country FROM viewer_sessions WHERE client_id = $1",
    [clientId],
  );
  expect(sessions).toEqual([{ event_count: 3, watch_seconds: expect.any(Number), startup_ms: 700, device_class: "desktop", country: "ZZ" }]);
  // Each batch is placed by its own arrival time (receive − (sentAt − ts)): the two requests left
  // the page a few milliseconds apart, so the watch time is 30 s within that.
  expect(sessions[0]!.watch_seconds).toBeCloseTo(30, 0);
});

test("the endpoint refuses what the contract refuses", async ({ request }) => {
  const form = await request.post("/api/analytics/events", { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "a=1" });
  expect(form.status()).toBe(415);
  const bad = await request.post("/api/analytics/events", {
    headers: { "content-type": "text/plain;charset=UTF-8" },
    data: JSON.stringify({ streamId: "demo-live-bunny", clientId, sentAt: Date.now(), events: [{ type: "seek", ts: Date.now(), videoTime: 0, seq: 99 }] }),
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).issues[0].path).toBe("events.0.type");
  const unknown = await request.get("/api/streams/no-such-stream");
  expect(unknown.status()).toBe(404);
});

test.describe("as headless Chromium", () => {
  test.use({ userAgent: undefined });

  test("is answered but not stored: it is a bot", async ({ request }) => {
    const bot = `e2e-bot-${Date.now().toString(36)}`;
    const res = await request.post("/api/analytics/events", {
      headers: { "content-type": "application/json", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36" },
      data: JSON.stringify({ streamId: "demo-live-bunny", clientId: bot, sentAt: Date.now(), events: [{ type: "play", ts: Date.now(), videoTime: 0, seq: 1 }] }),
    });
    expect(res.status()).toBe(202);
    expect(await res.json()).toEqual({ ingested: 0, duplicates: 0 });
    expect((await query<{ n: number }>("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [bot]))[0]!.n).toBe(0);
  });
});
