// Integration: POST /api/analytics/events against PostgreSQL through BOTH doors (the Next.js
// route module and the node:http fast path), with the process-wide core.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { fastDoor, nextDoor, RELEVANT_HEADERS, type TestDoor } from "./doors.testkit";

// Each test speaks from its own address (X-Forwarded-For, trusted here) so rate limits never mix.
process.env.TRUST_PROXY = "1";
// Countries come from Cloudflare's header in these tests (believed only when configured).
process.env.TRUSTED_GEO_HEADER = "cf-ipcountry";

const CHROME_DESKTOP =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let ipCounter = 1;
const nextIp = () => `198.51.100.${ipCounter++ % 250}`;

interface Ev {
  type: string;
  ts: number;
  videoTime: number;
  seq: number;
  extra?: Record<string, unknown>;
}

function batchBody(streamId: string, clientId: string, events: Ev[], sentAt = Date.now()) {
  return JSON.stringify({ streamId, clientId, sentAt, events });
}

/** `n` events 15 s apart, the last one `endMsAgo` ago, seq from `seq0`. */
function events(endMsAgo: number, n: number, seq0: number, first = "play"): Ev[] {
  const t0 = Date.now() - endMsAgo - (n - 1) * 15_000;
  return Array.from({ length: n }, (_, i) => ({
    type: i === 0 ? first : "heartbeat",
    ts: t0 + i * 15_000,
    videoTime: i * 15,
    seq: seq0 + i,
    ...(i === 0 && first === "play" ? { extra: { startupMs: 640 } } : {}),
  }));
}

async function countEvents(clientId: string): Promise<number> {
  const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]);
  return rows[0].n;
}

async function sessionsOf(clientId: string) {
  const { rows } = await getPool().query(
    `SELECT id, stream_id, started_at, ended_at, country, device_class, browser, os, event_count, watch_seconds,
            buffer_seconds, has_error, startup_ms, last_state, updated_at
       FROM viewer_sessions WHERE client_id = $1 ORDER BY started_at`,
    [clientId],
  );
  return rows;
}

const doors: Record<string, TestDoor> = {};

beforeAll(async () => {
  doors.next = await nextDoor();
  doors.fast = await fastDoor();
});

afterAll(async () => {
  await doors.fast?.close();
});

describe.each(["next", "fast"])("POST /api/analytics/events through the %s door", (name) => {
  const door = () => doors[name]!;
  const send = (body: string | Buffer, opts: { contentType?: string | null; headers?: Record<string, string> } = {}) =>
    door().send({ body, contentType: opts.contentType, headers: { "x-forwarded-for": nextIp(), "user-agent": CHROME_DESKTOP, ...opts.headers } });

  it("stores a batch whole, with corrected times, its session and the viewer's country and device", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    // The client clock is 1 h behind: sentAt and ts are both off, their difference is not.
    const skew = -3_600_000;
    const now = Date.now();
    const evs: Ev[] = [
      { type: "play", ts: now - 30_000 + skew, videoTime: 0, seq: 1, extra: { startupMs: 850 } },
      { type: "heartbeat", ts: now - 15_000 + skew, videoTime: 15, seq: 2 },
      { type: "heartbeat", ts: now + skew, videoTime: 30, seq: 3 },
    ];
    const res = await send(batchBody(stream.id, clientId, evs, now + skew), { headers: { "user-agent": SAFARI_IPHONE, "cf-ipcountry": "de" } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ ingested: 3, duplicates: 0 });

    const { rows } = await getPool().query(
      "SELECT seq, type, event_at, client_ts, video_time, extra, session_id FROM playback_events WHERE client_id = $1 ORDER BY seq",
      [clientId],
    );
    expect(rows).toHaveLength(3);
    // Corrected to the server clock: within a few seconds of now, not an hour ago.
    expect(Math.abs(rows[2].event_at.getTime() - now)).toBeLessThan(5_000);
    expect(rows[2].event_at.getTime() - rows[0].event_at.getTime()).toBe(30_000);
    expect(rows[0].client_ts).toBe(now - 30_000 + skew);
    expect(rows[0].extra).toEqual({ startupMs: 850 });
    expect(rows[1].extra).toBeNull();

    const sessions = await sessionsOf(clientId);
    expect(sessions).toHaveLength(1);
    const s = sessions[0];
    expect(rows.every((r) => r.session_id === s.id)).toBe(true);
    expect(s).toMatchObject({
      stream_id: stream.id,
      country: "DE",
      device_class: "mobile",
      browser: "Mobile Safari",
      os: "iOS",
      event_count: 3,
      watch_seconds: 30,
      buffer_seconds: 0,
      has_error: false,
      startup_ms: 850,
      last_state: "playing",
    });
    expect(s.started_at.getTime()).toBe(rows[0].event_at.getTime());
    expect(s.ended_at.getTime()).toBe(rows[2].event_at.getTime());
  });

  it("stores nothing new when a batch is sent again, and says so", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const body = batchBody(stream.id, clientId, events(60_000, 4, 10));
    expect((await send(body)).json).toEqual({ ingested: 4, duplicates: 0 });
    const again = await send(body);
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ ingested: 0, duplicates: 4 });
    // Half old, half new.
    const mixed = batchBody(stream.id, clientId, [...events(60_000, 4, 10).slice(2), ...events(0, 2, 14, "heartbeat")]);
    expect((await send(mixed)).json).toEqual({ ingested: 2, duplicates: 2 });
    expect(await countEvents(clientId)).toBe(6);
    const [s] = await sessionsOf(clientId);
    expect(s.event_count).toBe(6);
  });

  it("continues the open session within 30 min and opens a new one after a gap of 30 min", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    // 50 min ago: play + heartbeats for 45 s.
    expect((await send(batchBody(stream.id, clientId, events(50 * 60_000, 4, 1)))).json).toEqual({ ingested: 4, duplicates: 0 });
    // 40 min ago: within 30 min of the last event → same session, watch time continues (gap capped at 30 s).
    expect((await send(batchBody(stream.id, clientId, events(40 * 60_000, 2, 5, "heartbeat")))).json).toEqual({ ingested: 2, duplicates: 0 });
    let sessions = await sessionsOf(clientId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].event_count).toBe(6);
    expect(sessions[0].watch_seconds).toBe(45 + 30 + 15);
    // Now: 40 min after the last event → a new session.
    expect((await send(batchBody(stream.id, clientId, events(0, 1, 7)), { headers: { "user-agent": SAFARI_IPHONE } })).json).toEqual({
      ingested: 1,
      duplicates: 0,
    });
    sessions = await sessionsOf(clientId);
    expect(sessions).toHaveLength(2);
    expect(sessions[1].event_count).toBe(1);
    // Country and device are those of the request that opened the session.
    expect(sessions[0].device_class).toBe("desktop");
    expect(sessions[1].device_class).toBe("mobile");
    const { rows } = await getPool().query("SELECT session_id, count(*)::int AS n FROM playback_events WHERE client_id = $1 GROUP BY 1", [clientId]);
    expect(rows.map((r) => r.n).sort()).toEqual([1, 6]);
  });

  it("gives two concurrent batches of one viewer one session", async () => {
    for (let round = 0; round < 3; round++) {
      const stream = await createStream();
      const clientId = uid("client");
      const [a, b] = await Promise.all([
        send(batchBody(stream.id, clientId, events(30_000, 2, 1))),
        send(batchBody(stream.id, clientId, events(0, 2, 3, "heartbeat"))),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
      const sessions = await sessionsOf(clientId);
      expect(sessions).toHaveLength(1);
      expect(sessions[0].event_count).toBe(4);
      expect(await countEvents(clientId)).toBe(4);
    }
  });

  it("answers 404 for an unknown stream and stores nothing", async () => {
    const clientId = uid("client");
    const res = await send(batchBody(uid("nostream"), clientId, events(0, 2, 1)));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "unknown stream" });
    expect(await countEvents(clientId)).toBe(0);
    expect(await sessionsOf(clientId)).toHaveLength(0);
  });

  it("stores exactly what it answered, under concurrent load with resends", async () => {
    const stream = await createStream();
    const clients = Array.from({ length: 6 }, () => uid("client"));
    const bodies: string[] = [];
    clients.forEach((c, i) => {
      for (let k = 0; k < 4; k++) bodies.push(batchBody(stream.id, c, events(60_000 - k * 15_000, 1 + ((i + k) % 4), 1 + k * 10)));
    });
    // Every third batch is sent twice (a beacon retry).
    const all = [...bodies, ...bodies.filter((_, i) => i % 3 === 0)];
    const answers = await Promise.all(all.map((b) => send(b)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const ingested = answers.reduce((n, a) => n + (a.json as { ingested: number }).ingested, 0);
    const duplicates = answers.reduce((n, a) => n + (a.json as { duplicates: number }).duplicates, 0);
    const sent = all.reduce((n, b) => n + JSON.parse(b).events.length, 0);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = ANY($1)", [clients]);
    expect(rows[0].n).toBe(ingested);
    expect(ingested + duplicates).toBe(sent);
    const { rows: s } = await getPool().query(
      "SELECT client_id, count(*)::int AS n, sum(event_count)::int AS events FROM viewer_sessions WHERE client_id = ANY($1) GROUP BY 1",
      [clients],
    );
    expect(s).toHaveLength(clients.length);
    expect(s.every((r) => r.n === 1)).toBe(true);
    expect(s.reduce((n, r) => n + r.events, 0)).toBe(ingested);
  });

  it("answers 400 naming the failing field, and stores nothing", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const evs: Ev[] = events(0, 5, 1);
    (evs[3] as { type: string }).type = "rewind";
    const res = await send(batchBody(stream.id, clientId, evs));
    expect(res.status).toBe(400);
    const body = res.json as { error: string; issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(["events.3.type"]);
    expect(typeof body.error).toBe("string");
    const notJson = await send("{nope");
    expect(notJson.status).toBe(400);
    expect((notJson.json as { error: string }).error).toBe("body is not JSON");
    const old = await send(batchBody(stream.id, clientId, [{ type: "play", ts: Date.now() - 25 * 3_600_000, videoTime: 0, seq: 1 }]));
    expect(old.status).toBe(400);
    expect((old.json as { issues: { path: string }[] }).issues[0]!.path).toBe("events.0.ts");
    expect(await countEvents(clientId)).toBe(0);
  });

  it("takes application/json and text/plain;charset=UTF-8, answers 415 to anything else", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    expect((await send(batchBody(stream.id, clientId, events(0, 1, 1)), { contentType: "application/json" })).status).toBe(202);
    expect((await send(batchBody(stream.id, clientId, events(0, 1, 2)), { contentType: "text/plain;charset=UTF-8" })).status).toBe(202);
    const form = await send(batchBody(stream.id, clientId, events(0, 1, 3)), { contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const none = await send(batchBody(stream.id, clientId, events(0, 1, 4)), { contentType: null });
    expect(none.status).toBe(415);
    expect(await countEvents(clientId)).toBe(2);
  });

  it("answers 413 to a body over 64 KB and stores nothing", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const big = batchBody(stream.id, clientId, events(0, 2, 1)).replace('"events"', `"padding":"${"x".repeat(70_000)}","events"`);
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(await countEvents(clientId)).toBe(0);
  });

  it("drops bots without storing them", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const res = await send(batchBody(stream.id, clientId, events(0, 2, 1)), {
      headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
    });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ ingested: 0, duplicates: 0 });
    expect(await countEvents(clientId)).toBe(0);
  });

  it("answers the CORS preflight", async () => {
    const res = await door().send({ body: "", method: "OPTIONS", contentType: null, headers: { origin: "https://player.example" } });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-methods"]).toContain("POST");
  });
});

describe("both doors", () => {
  it("answer byte-for-byte the same", async () => {
    const stream = await createStream();
    const cases: { body: string; contentType?: string | null; headers?: Record<string, string> }[] = [];
    const c1 = uid("client");
    cases.push({ body: batchBody(stream.id, c1, events(0, 2, 1)) });
    cases.push({ body: batchBody(stream.id, c1, events(0, 2, 1)) }); // duplicates (second door sees them too)
    cases.push({ body: "{nope" });
    cases.push({ body: JSON.stringify({ streamId: stream.id, clientId: "short", sentAt: 1, events: [] }) });
    cases.push({ body: batchBody(uid("nostream"), uid("client"), events(0, 1, 1)) });
    cases.push({ body: "{}", contentType: "text/html" });
    cases.push({ body: "x".repeat(70_000) });
    for (const c of cases) {
      const ip = nextIp();
      const headers = { "x-forwarded-for": ip, "user-agent": CHROME_DESKTOP, ...c.headers };
      const a = await doors.next!.send({ ...c, headers });
      const b = await doors.fast!.send({ ...c, headers: { ...headers, "x-forwarded-for": nextIp() } });
      // The first case stores on the first door and is a duplicate on the second: compare shapes.
      if (c === cases[0]) {
        expect(a.json).toEqual({ ingested: 2, duplicates: 0 });
        expect(b.json).toEqual({ ingested: 0, duplicates: 2 });
        continue;
      }
      expect(b.status).toBe(a.status);
      expect(b.text).toBe(a.text);
      for (const h of RELEVANT_HEADERS) expect([h, b.headers[h]]).toEqual([h, a.headers[h]]);
    }
  });

  it("share one session when one viewer's batches arrive through both at once", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const h = { "user-agent": CHROME_DESKTOP };
    const [a, b] = await Promise.all([
      doors.next!.send({ body: batchBody(stream.id, clientId, events(20_000, 2, 1)), headers: { ...h, "x-forwarded-for": nextIp() } }),
      doors.fast!.send({ body: batchBody(stream.id, clientId, events(0, 2, 3, "heartbeat")), headers: { ...h, "x-forwarded-for": nextIp() } }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await sessionsOf(clientId)).toHaveLength(1);
  });

  it("fast door stops reading a chunked body at 64 KB and answers 413", async () => {
    const port = doors.fast!.port!;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port, path: "/api/analytics/events", method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": nextIp() } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      // No content-length: chunked. Keep writing well past the limit; the answer must not wait for the end.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let written = 0;
      const pump = () => {
        while (written < 10 * 1024 * 1024) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });
});
