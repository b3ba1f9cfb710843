// Privacy on real traffic (docs/privacy.md): batches from known addresses go through both doors of
// POST /api/analytics/events — stored, resent, refused for each reason, rate-limited — and then no
// text or JSON column of any table (partitions included) holds those addresses, and neither do
// the logs written meanwhile (the app's own logger, captured at trace level).
//
// Only dynamic imports below: the capturing logger must be in place before anything loads log.ts.
import { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const IPV4 = "203.0.113.231";
const IPV6 = "2001:db8:5ca1:ab1e::77";
const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

// The batches below come through two proxies: the address before them is the client's.
process.env.TRUST_PROXY = "2";
// Low enough that this file's traffic also meets the rate limiter (429 path logged too).
process.env.RATE_LIMIT_PER_MINUTE = "12";

let captured = "";
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    captured += chunk.toString("utf8");
    done();
  },
});

const { createLogger } = await import("~/lib/logger");
(globalThis as unknown as { streamscopeLog?: unknown }).streamscopeLog = createLogger({ level: "trace", destination: sink });
const { log } = await import("~/lib/log");
const { fastDoor, nextDoor } = await import("~/ingest/doors.testkit");
const { createStream, uid } = await import("~/test/factories");
const { getPool } = await import("~/lib/db/pool");
type TestDoor = Awaited<ReturnType<typeof fastDoor>>;

let fast: TestDoor;
let next: TestDoor;
beforeAll(async () => {
  fast = await fastDoor();
  next = await nextDoor();
});
afterAll(async () => {
  await fast.close();
});

function body(streamId: string, clientId: string, seq0: number, n: number, ageMs = 0) {
  const now = Date.now();
  return JSON.stringify({
    streamId,
    clientId,
    sentAt: now,
    events: Array.from({ length: n }, (_, i) => ({
      type: i ? "heartbeat" : "play",
      ts: now - ageMs - (n - i) * 15_000,
      videoTime: i * 15,
      seq: seq0 + i,
      ...(i ? {} : { extra: { startupMs: 700, connection: "wifi" } }),
    })),
  });
}

/** Every text-like column of every table in the app's schema and the partitions' schema. */
async function columnsToScan(c: pg.Client) {
  const { rows } = await c.query<{ schema: string; table: string; column: string }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema IN (current_schema(), 'event_partitions') AND t.table_type = 'BASE TABLE'
        AND c.udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'inet', 'cidr', 'name')`,
  );
  return rows;
}

describe("no raw IP address is stored or logged", () => {
  it("after real ingestion traffic through both doors", async () => {
    const stream = await createStream();
    const statuses: number[] = [];
    for (const [door, ip] of [[fast, IPV4], [next, IPV4], [fast, IPV6], [next, IPV6]] as const) {
      const h = { "user-agent": UA, "x-forwarded-for": `${ip}, 10.0.0.1`, "x-real-ip": ip, "cf-ipcountry": "FR" };
      const client = uid("viewer");
      const send = (b: string, contentType?: string) => door.send({ body: b, headers: h, contentType }).then((r) => (statuses.push(r.status), r));
      expect((await send(body(stream.id, client, 1, 3))).status).toBe(202); // stored
      expect((await send(body(stream.id, client, 1, 3))).status).toBe(202); // resent: duplicates
      expect((await send(body(stream.id, client, 4, 2))).status).toBe(202); // continues the session
      await send(body(stream.id, client, 10, 2, 25 * 3_600_000)); // too old: 400
      await send(body("no-such-stream-" + client, client, 1, 1)); // 404
      await send("{not json"); // 400
      await send("{}", "application/xml"); // 415
    }
    // Past RATE_LIMIT_PER_MINUTE from one address: refused with 429.
    for (let i = 0; i < 6; i++) {
      await fast.send({ body: body(stream.id, uid("viewer"), 1, 1), headers: { "user-agent": UA, "x-forwarded-for": IPV4 } }).then((r) => statuses.push(r.status));
    }
    expect(statuses).toEqual(expect.arrayContaining([202, 400, 404, 415, 429]));
    // Something was stored, so the scan below looks at real rows.
    const stored = await getPool().query("SELECT count(*)::int AS n FROM playback_events WHERE stream_id = $1", [stream.id]);
    expect(stored.rows[0].n).toBeGreaterThanOrEqual(20);
    const sessions = await getPool().query("SELECT country FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(sessions.rows.length).toBeGreaterThanOrEqual(4);

    // Anything passed to the logger under an address-like key is removed as well.
    log.warn({ ip: IPV4, req: { ip: IPV4 }, headers: { "x-forwarded-for": IPV4 } }, "redaction check");

    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      const columns = await columnsToScan(c);
      expect(columns.length).toBeGreaterThan(40);
      expect(columns.some((x) => x.schema === "event_partitions" && x.table === "playback_events_default")).toBe(true);
      const found: string[] = [];
      for (const col of columns) {
        const { rows } = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${col.schema}"."${col.table}" WHERE "${col.column}"::text ILIKE ANY($1)`,
          [[`%${IPV4}%`, `%${IPV6}%`]],
        );
        if (rows[0]!.n > 0) found.push(`${col.schema}.${col.table}.${col.column}`);
      }
      expect(found).toEqual([]);
    } finally {
      await c.end();
    }

    // The logs were written (refusals by reason, the redaction check) and hold no address.
    expect(captured).toMatch(/"msg":"ingest: batch refused"/);
    expect(captured).toMatch(/"reason":"unknown_stream"/);
    expect(captured).toMatch(/"msg":"redaction check"/);
    expect(captured).not.toContain(IPV4);
    expect(captured).not.toContain(IPV6);
  });
});
