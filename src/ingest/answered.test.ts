// Integration: every request to POST /api/analytics/events is answered, with JSON, within its time
// budget (docs/ingest-api.md#time-budget), through BOTH doors: the Next.js route module and npm
// start's node:http front with its fast routes. Nothing thrown on the way (a stack overflow, a
// bug), no slow or broken body and no silent database leaves a socket open.
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { memoryRateLimiter } from "~/lib/rateLimit";
import { createStream, uid } from "~/test/factories";
import { fastDoor, nextDoor, RELEVANT_HEADERS, type TestDoor } from "./doors.testkit";
import { handleIngest, ingestDeps, type IngestDeps, type IngestRequest } from "./handler";
import { createStreamCache } from "./streamCache";
import { createWriter } from "./writer";

process.env.TRUST_PROXY = "1";
const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
let ip = 1;
const headers = () => ({ "x-forwarded-for": `203.0.113.${ip++ % 250}`, "user-agent": UA });

function body(streamId: string, clientId: string, extra?: string): string {
  const now = Date.now();
  const ev = `{"type":"play","ts":${now},"videoTime":0,"seq":1${extra === undefined ? "" : `,"extra":${extra}`}}`;
  return `{"streamId":${JSON.stringify(streamId)},"clientId":"${clientId}","sentAt":${now},"events":[${ev}]}`;
}

async function countEvents(clientId: string): Promise<number> {
  const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]);
  return rows[0].n;
}

const doors: TestDoor[] = [];
let streamId: string;
// The process-wide core both doors use, with a short time budget for these tests (still far
// above what a slow but complete body takes here, so a busy machine cannot make it a 408).
const BUDGET = { bodyMs: 1_500, answerMs: 5_000 };
let saved: Pick<IngestDeps, "budget" | "limiter">;
beforeAll(async () => {
  doors.push(await nextDoor(), await fastDoor());
  streamId = (await createStream()).id;
  const deps = ingestDeps();
  saved = { budget: deps.budget, limiter: deps.limiter };
  deps.budget = BUDGET;
});
afterEach(() => Object.assign(ingestDeps(), saved, { budget: BUDGET }));
afterAll(async () => {
  Object.assign(ingestDeps(), saved);
  for (const d of doors) await d.close();
});

describe.each([0, 1])("door %#", (d) => {
  const door = () => doors[d]!;

  it("answers an extra nested 5,000 levels deep with a 400 naming the field, in under a second", async () => {
    const clientId = uid("client");
    const deep = '{"a":'.repeat(4_999) + "{}" + "}".repeat(4_999);
    const started = performance.now();
    const res = await door().send({ body: body(streamId, clientId, deep), headers: headers() });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "invalid batch", issues: [{ path: "events.0.extra", message: expect.stringMatching(/at most 32 levels deep/) }] });
    expect(await countEvents(clientId)).toBe(0);
  });

  it("answers a body that stops arriving with 408 once the body budget is spent, and stores nothing", async () => {
    const clientId = uid("client");
    const started = performance.now();
    const res = await door().send({ body: body(streamId, clientId), headers: headers(), slow: { parts: 3, gapMs: 50, stall: true } });
    const ms = performance.now() - started;
    expect(res.status).toBe(408);
    expect(res.json).toEqual({ error: "body not received within 1.5 s" });
    expect(ms).toBeGreaterThanOrEqual(1_450);
    expect(ms).toBeLessThan(5_000);
    expect(await countEvents(clientId)).toBe(0);
  });

  it("takes a body that arrives slowly but within the budget", async () => {
    const clientId = uid("client");
    const res = await door().send({ body: body(streamId, clientId), headers: headers(), slow: { parts: 3, gapMs: 30 } });
    expect([res.status, res.json]).toEqual([202, { ingested: 1, duplicates: 0 }]);
  });

  it("answers 500 with JSON when something throws inside the core", async () => {
    ingestDeps().limiter = Object.assign(Object.create(saved.limiter!), {
      hit: () => {
        throw new RangeError("Maximum call stack size exceeded");
      },
    });
    const res = await door().send({ body: body(streamId, uid("client")), headers: headers() });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "internal error" });
    expect(res.headers["content-type"]).toBe("application/json");
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("answers %s with the core's JSON 405", async (method) => {
    const res = await door().send({ method, body: "{}", headers: headers() });
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ error: "method not allowed, use POST" });
    expect(res.headers.allow).toBe("POST, OPTIONS");
  });
});

describe("both doors", () => {
  it("answer the hostile cases byte for byte the same", async () => {
    const deep = '{"a":'.repeat(4_999) + "{}" + "}".repeat(4_999);
    const cases = [
      { body: body(streamId, uid("client"), deep) },
      { body: body(streamId, uid("client"), '{"m":"\\ud800"}') },
      { body: Buffer.concat([Buffer.from(body(streamId, uid("client")).slice(0, 20)), Buffer.from([0xff, 0xfe])]) },
      { body: "{}", method: "PUT" },
      { body: body(streamId, uid("client")), slow: { parts: 2, gapMs: 10, stall: true } },
    ];
    for (const c of cases) {
      const [a, b] = [await doors[0]!.send({ ...c, headers: headers() }), await doors[1]!.send({ ...c, headers: headers() })];
      expect(b.status).toBe(a.status);
      expect(b.text).toBe(a.text);
      for (const h of RELEVANT_HEADERS) expect([h, b.headers[h]]).toEqual([h, a.headers[h]]);
    }
  });

  it("the fast door stays up for a client that sends half its body and hangs up", async () => {
    const port = doors[1]!.port!;
    const payload = body(streamId, uid("client"));
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(
          `POST /api/analytics/events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${payload.length}\r\n\r\n${payload.slice(0, 30)}`,
          () => setTimeout(() => (socket.destroy(), resolve()), 50),
        );
      });
      socket.on("error", reject);
    });
    const clientId = uid("client");
    const res = await doors[1]!.send({ body: body(streamId, clientId), headers: headers() });
    expect([res.status, res.json]).toEqual([202, { ingested: 1, duplicates: 0 }]);
  });
});

describe("the core's time budget", () => {
  function request(text: string): IngestRequest {
    const h: Record<string, string> = { "content-type": "application/json", "user-agent": UA };
    return { method: "POST", header: (n) => h[n], socketAddress: "192.0.2.20", readBody: async () => Buffer.from(text) };
  }
  const deps = (over: Partial<IngestDeps>): IngestDeps => ({
    limiter: memoryRateLimiter({ limit: 1000, secret: "s" }),
    streams: createStreamCache({ pool: getPool }),
    writer: createWriter({ pool: getPool }),
    budget: { bodyMs: 500, answerMs: 400 },
    ...over,
  });

  it("answers 503 when the database has not answered within the budget", async () => {
    const never = { write: () => new Promise<never>(() => {}), drain: async () => {} };
    const started = performance.now();
    const res = await handleIngest(request(body(streamId, uid("client"))), deps({ writer: never }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: "no answer from the database within 0.4 s, retry later" });
    expect(res.headers["retry-after"]).toBe("5");
  });

  it("answers 400 when the body breaks off", async () => {
    const req = { ...request(""), readBody: () => Promise.reject(new Error("aborted")) };
    const res = await handleIngest(req, deps({}));
    expect([res.status, JSON.parse(res.body)]).toEqual([400, { error: "body incomplete: the request ended before its body did" }]);
  });
});
