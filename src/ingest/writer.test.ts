// Integration: the group-commit writer and the core's failure answers, against PostgreSQL.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { memoryRateLimiter } from "~/lib/rateLimit";
import { createStream, uid } from "~/test/factories";
import { handleIngest, type IngestDeps, type IngestRequest } from "./handler";
import { createStreamCache } from "./streamCache";
import { db } from "~/lib/db/prisma";
import { BatchRefused, createWriter, sqlArray, type PreparedBatch } from "./writer";

const deadPool = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/nothing", connectionTimeoutMillis: 500 });
deadPool.on("error", () => {});
afterAll(() => deadPool.end());

function prepared(streamId: string, clientId: string, seqs: number[], at = Date.now()): PreparedBatch {
  return {
    streamId,
    clientId,
    country: "FR",
    deviceClass: "desktop",
    browser: "Firefox",
    os: "Linux",
    events: seqs.map((seq, i) => ({ type: i === 0 ? "play" : "heartbeat", at: at + i * 15_000, ts: at + i * 15_000, videoTime: i * 15, seq, extra: null })),
  };
}

function request(body: unknown, headers: Record<string, string> = {}): IngestRequest {
  const buf = Buffer.from(JSON.stringify(body));
  const h: Record<string, string> = { "content-type": "application/json", "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", ...headers };
  return { method: "POST", header: (n) => h[n], socketAddress: "192.0.2.10", readBody: async () => buf };
}

function deps(over: Partial<IngestDeps> = {}): IngestDeps {
  return {
    limiter: memoryRateLimiter({ limit: 1000, secret: "s" }),
    streams: createStreamCache({ pool: getPool }),
    writer: createWriter({ pool: getPool }),
    ...over,
  };
}

const batch = (streamId: string, clientId: string, seq = 1) => ({
  streamId,
  clientId,
  sentAt: Date.now(),
  events: [{ type: "play", ts: Date.now(), videoTime: 0, seq }],
});

describe("group commit", () => {
  it("writes batches that arrive together in one transaction, answering each after COMMIT", async () => {
    const stream = await createStream();
    const writer = createWriter({ pool: getPool, windowMs: 20, maxInFlight: 1 });
    const clients = Array.from({ length: 8 }, () => uid("client"));
    const results = await Promise.all(clients.map((c) => writer.write(prepared(stream.id, c, [1, 2]))));
    expect(results.every((r) => r.ingested === 2 && r.duplicates === 0)).toBe(true);
    // Rows written by one transaction carry the same xmin.
    const { rows } = await getPool().query("SELECT count(DISTINCT xmin::text)::int AS tx FROM playback_events WHERE client_id = ANY($1)", [clients]);
    expect(rows[0].tx).toBe(1);
    const { rows: s } = await getPool().query("SELECT count(*)::int AS n FROM viewer_sessions WHERE client_id = ANY($1)", [clients]);
    expect(s[0].n).toBe(8);
  });

  it("keeps one viewer's batches in one session inside a group, and counts in-group duplicates", async () => {
    const stream = await createStream();
    const writer = createWriter({ pool: getPool, windowMs: 20 });
    const clientId = uid("client");
    const at = Date.now() - 60_000;
    const [a, b, c] = await Promise.all([
      writer.write(prepared(stream.id, clientId, [1, 2], at)),
      writer.write(prepared(stream.id, clientId, [3, 4], at + 30_000)),
      writer.write(prepared(stream.id, clientId, [3, 4], at + 30_000)),
    ]);
    expect([a, b, c]).toEqual([
      { ingested: 2, duplicates: 0 },
      { ingested: 2, duplicates: 0 },
      { ingested: 0, duplicates: 2 },
    ]);
    const { rows } = await getPool().query("SELECT event_count, watch_seconds FROM viewer_sessions WHERE client_id = $1", [clientId]);
    expect(rows).toEqual([{ event_count: 4, watch_seconds: 45 }]);
  });

  it("answers every batch of a group 503 and stores nothing when the database fails", async () => {
    const stream = await createStream();
    const writer = createWriter({ pool: () => deadPool, windowMs: 5 });
    const clients = [uid("client"), uid("client")];
    const results = await Promise.allSettled(clients.map((c) => writer.write(prepared(stream.id, c, [1]))));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);

    const d = deps({ writer });
    const res = await handleIngest(request(batch(stream.id, clients[0]!)), d);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: "database unavailable, retry later" });
    expect(res.headers["retry-after"]).toBe("5");
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = ANY($1)", [clients]);
    expect(rows[0].n).toBe(0);
  });

  it("answers 503 when the stream lookup cannot reach the database", async () => {
    const res = await handleIngest(request(batch(uid("stream"), uid("client"))), deps({ streams: createStreamCache({ pool: () => deadPool }) }));
    expect(res.status).toBe(503);
    expect(res.body).not.toContain("at ");
  });

  it("does not fail the group when one batch's stream was deleted after it was cached", async () => {
    const kept = await createStream();
    const doomed = await createStream();
    const d = deps({ writer: createWriter({ pool: getPool, windowMs: 30 }) });
    // Both streams are cached as existing…
    expect(await d.streams.exists(kept.id)).toBe(true);
    expect(await d.streams.exists(doomed.id)).toBe(true);
    // …then one is deleted.
    await getPool().query("DELETE FROM streams WHERE id = $1", [doomed.id]);
    const keptClient = uid("client");
    const doomedClient = uid("client");
    const [a, b] = await Promise.all([
      handleIngest(request(batch(kept.id, keptClient)), d),
      handleIngest(request(batch(doomed.id, doomedClient)), d),
    ]);
    expect(a.status).toBe(202);
    expect(JSON.parse(a.body)).toEqual({ ingested: 1, duplicates: 0 });
    expect(b.status).toBe(404);
    const { rows } = await getPool().query("SELECT client_id, count(*)::int AS n FROM playback_events WHERE client_id = ANY($1) GROUP BY 1", [[keptClient, doomedClient]]);
    expect(rows).toEqual([{ client_id: keptClient, n: 1 }]);
  });
});

describe("inlined values", () => {
  it("store quotes, backslashes, braces, commas, NULL-looking text and Unicode exactly", async () => {
    const org = await db.organizer.create({ data: { name: uid("Org"), slug: uid("org") } });
    const streamId = `${uid("s")}'"\\{a,b} NULL ü'; DROP TABLE streams; --`;
    await db.stream.create({ data: { id: streamId, organizerId: org.id, title: "weird" } });
    const clientId = uid("client");
    const extra = { message: `it's "quoted" \\ {x,y} NULL ü 🎬 \\u0000 '); --`, list: [1, "a,b", null] };
    const b = prepared(streamId, clientId, [1, 2]);
    b.events[0]!.extra = extra;
    b.browser = `Odd "browser" 'name' \\`;
    b.os = null;
    const writer = createWriter({ pool: getPool });
    expect(await writer.write(b)).toEqual({ ingested: 2, duplicates: 0 });
    const { rows } = await getPool().query("SELECT stream_id, extra FROM playback_events WHERE client_id = $1 ORDER BY seq", [clientId]);
    expect(rows).toEqual([
      { stream_id: streamId, extra },
      { stream_id: streamId, extra: null },
    ]);
    const { rows: s } = await getPool().query("SELECT stream_id, browser, os FROM viewer_sessions WHERE client_id = $1", [clientId]);
    expect(s).toEqual([{ stream_id: streamId, browser: `Odd "browser" 'name' \\`, os: null }]);
    expect(await db.stream.count({ where: { id: streamId } })).toBe(1);
  });

  it("encodes arrays as PostgreSQL literals that read back as the same values", async () => {
    const texts = ["a", null, 'b"c', "d\\e", "it's", "{x,y}", "NULL", "", " spaced ", "ü🎬"];
    const { rows } = await getPool().query(`SELECT ${sqlArray(texts, "text")} AS t, ${sqlArray([1, 2.5, -0.125, 1e21], "float8")} AS f, ${sqlArray([true, false], "bool")} AS b`);
    expect(rows[0]).toEqual({ t: texts, f: [1, 2.5, -0.125, 1e21], b: [true, false] });
    expect(() => sqlArray([Number.NaN], "float8")).toThrow();
  });
});

describe("rate limit through the core", () => {
  it("answers 429 with Retry-After once an address is over its limit, and stores nothing then", async () => {
    const stream = await createStream();
    const clientId = uid("client");
    const d = deps({ limiter: memoryRateLimiter({ limit: 2, secret: "s" }) });
    const answers = [];
    for (let seq = 1; seq <= 3; seq++) answers.push(await handleIngest(request(batch(stream.id, clientId, seq)), d));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 429]);
    const retry = Number(answers[2]!.headers["retry-after"]);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]);
    expect(rows[0].n).toBe(2);
    // Another address is not affected.
    const other = await handleIngest({ ...request(batch(stream.id, clientId, 4)), socketAddress: "192.0.2.11" }, d);
    expect(other.status).toBe(202);
  });
});

describe("one bad batch never harms another", () => {
  // What validation refuses (a lone surrogate, U+0000) put into extra after it, as if validation
  // had missed it: PostgreSQL's jsonb refuses it (SQLSTATE 22P02, 22P05) and fails the group.
  const POISONS: Record<string, unknown>[] = [{ message: "lone \ud800" }, { ["k\u0000"]: 1 }, { nested: { list: ["ok", "x\udc00"] } }];

  it("answers 90 valid batches 202 and stores them, and only the 3 poisoned ones 400, all sent at once", async () => {
    const stream = await createStream();
    const writer = createWriter({ pool: getPool, windowMs: 20 });
    const poisoned = new Map<string, Record<string, unknown>>();
    const clients = Array.from({ length: 93 }, (_, i) => {
      const c = uid("client");
      if (i % 31 === 15) poisoned.set(c, POISONS[poisoned.size]!);
      return c;
    });
    const d = deps({
      writer: {
        write: (b) => writer.write(poisoned.has(b.clientId) ? { ...b, events: b.events.map((e) => ({ ...e, extra: poisoned.get(b.clientId)! })) } : b),
        drain: () => writer.drain(),
      },
    });
    const now = Date.now();
    const answers = await Promise.all(
      clients.map((c) =>
        handleIngest(
          request({ streamId: stream.id, clientId: c, sentAt: now, events: [0, 1].map((k) => ({ type: k ? "heartbeat" : "play", ts: now - 15_000 + k * 15_000, videoTime: k * 15, seq: k + 1 })) }),
          d,
        ),
      ),
    );
    const byClient = new Map(clients.map((c, i) => [c, answers[i]!]));
    for (const [c, res] of byClient) {
      if (poisoned.has(c)) {
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toEqual({ error: "refused by the database", issues: [{ path: "events", message: expect.stringMatching(/^an event's extra: .*\(SQLSTATE 22/) }] });
      } else {
        expect([res.status, JSON.parse(res.body)]).toEqual([202, { ingested: 2, duplicates: 0 }]);
      }
    }
    expect(answers.filter((a) => a.status === 202)).toHaveLength(90);
    const { rows } = await getPool().query("SELECT client_id, count(*)::int AS n FROM playback_events WHERE stream_id = $1 GROUP BY 1", [stream.id]);
    expect(rows).toHaveLength(90);
    expect(rows.every((r) => r.n === 2 && !poisoned.has(r.client_id))).toBe(true);
    const { rows: s } = await getPool().query("SELECT count(*)::int AS n, sum(event_count)::int AS events FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(s[0]).toEqual({ n: 90, events: 180 });
    const { rows: keys } = await getPool().query("SELECT count(*)::int AS n FROM playback_event_keys WHERE client_id = ANY($1)", [[...poisoned.keys()]]);
    expect(keys[0].n).toBe(0);
  });

  it("rejects only the culprit of a group with BatchRefused; the others resolve once committed", async () => {
    const stream = await createStream();
    const writer = createWriter({ pool: getPool, windowMs: 30, maxInFlight: 1 });
    const good = [uid("client"), uid("client")];
    const bad = prepared(stream.id, uid("client"), [1, 2]);
    bad.events[1]!.extra = POISONS[0]!;
    const results = await Promise.allSettled([writer.write(prepared(stream.id, good[0]!, [1])), writer.write(bad), writer.write(prepared(stream.id, good[1]!, [7, 8]))]);
    expect(results[0]).toEqual({ status: "fulfilled", value: { ingested: 1, duplicates: 0 } });
    expect(results[2]).toEqual({ status: "fulfilled", value: { ingested: 2, duplicates: 0 } });
    expect(results[1]!.status).toBe("rejected");
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(BatchRefused);
    expect(reason.code).toMatch(/^22/);
    const { rows } = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE client_id = ANY($1)", [[...good, bad.clientId]]);
    expect(rows[0].n).toBe(3);
  });
});
