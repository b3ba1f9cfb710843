// GET /api/metrics: off without METRICS_TOKEN (503), 401 without the right token, and with it the
// Prometheus text counts what happened: batches and events accepted and refused by reason, the
// latency histogram, job runs, pool gauges. Counters are per process and shared with nothing else
// in this file, but compared as deltas all the same.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runJob } from "~/jobs/runner";
import { fastDoor, nextDoor, type TestDoor } from "~/ingest/doors.testkit";
import { createStream, uid } from "~/test/factories";
import { GET } from "./route";

process.env.TRUST_PROXY = "1";
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const url = "http://localhost/api/metrics";
const saved = process.env.METRICS_TOKEN;
afterEach(() => {
  if (saved === undefined) delete process.env.METRICS_TOKEN;
  else process.env.METRICS_TOKEN = saved;
});

let fast: TestDoor;
let next: TestDoor;
beforeAll(async () => {
  fast = await fastDoor();
  next = await nextDoor();
});
afterAll(async () => {
  await fast.close();
});

async function scrape(): Promise<string> {
  process.env.METRICS_TOKEN = "metrics-test-token-123";
  const res = await GET(new Request(url, { headers: { authorization: "Bearer metrics-test-token-123" } }));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The sample `name{labels}` (labels in any order), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

function batch(streamId: string, clientId: string, n: number, ageMs = 0) {
  const now = Date.now();
  return JSON.stringify({
    streamId,
    clientId,
    sentAt: now,
    events: Array.from({ length: n }, (_, i) => ({ type: i ? "heartbeat" : "play", ts: now - ageMs - (n - i) * 1000, videoTime: i, seq: i + 1 })),
  });
}

describe("GET /api/metrics", () => {
  it("is off (503) while METRICS_TOKEN is unset", async () => {
    delete process.env.METRICS_TOKEN;
    const res = await GET(new Request(url, { headers: { authorization: "Bearer x" } }));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "metrics are disabled: METRICS_TOKEN is not set" });
  });

  it("refuses (401) without a token or with a wrong one", async () => {
    process.env.METRICS_TOKEN = "metrics-test-token-123";
    for (const authorization of [undefined, "Bearer wrong", "Bearer metrics-test-token-1234", "metrics-test-token-123"]) {
      const res = await GET(new Request(url, { headers: authorization ? { authorization } : {} }));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.text()).not.toContain("streamscope_");
    }
  });

  it("counts accepted and refused batches and events by reason, latency, job runs and the pool", async () => {
    const stream = await createStream();
    const before = await scrape();
    const h = { "user-agent": UA, "x-forwarded-for": "203.0.113.77" };
    const c1 = uid("client");
    // fast door: one stored batch of 3, the same batch again (3 duplicates), one of 2 with a stale event,
    // one unknown stream of 4, one that is not JSON, one with a wrong content type.
    expect((await fast.send({ body: batch(stream.id, c1, 3), headers: h })).status).toBe(202);
    expect((await fast.send({ body: batch(stream.id, c1, 3), headers: h })).status).toBe(202);
    expect((await fast.send({ body: batch(stream.id, uid("client"), 2, 25 * 3_600_000), headers: h })).status).toBe(400);
    expect((await fast.send({ body: batch("no-such-stream", uid("client"), 4), headers: h })).status).toBe(404);
    expect((await fast.send({ body: "{nope", headers: h })).status).toBe(400);
    expect((await fast.send({ body: "{}", contentType: "application/xml", headers: h })).status).toBe(415);
    // next door: one stored batch of 5.
    expect((await next.send({ body: batch(stream.id, uid("client"), 5), headers: h })).status).toBe(202);
    // One job run.
    const job = await runJob("partitions", "test", async () => ({ n: 1 }));

    const after = await scrape();
    const d = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(d("streamscope_ingest_batches_total", { door: "fast", status: "202" })).toBe(2);
    expect(d("streamscope_ingest_batches_total", { door: "fast", status: "400" })).toBe(2);
    expect(d("streamscope_ingest_batches_total", { door: "fast", status: "404" })).toBe(1);
    expect(d("streamscope_ingest_batches_total", { door: "fast", status: "415" })).toBe(1);
    expect(d("streamscope_ingest_batches_total", { door: "next", status: "202" })).toBe(1);
    expect(d("streamscope_ingest_events_total", { result: "stored" })).toBe(8);
    expect(d("streamscope_ingest_events_total", { result: "duplicate" })).toBe(3);
    expect(d("streamscope_ingest_refused_batches_total", { door: "fast", reason: "event_time" })).toBe(1);
    expect(d("streamscope_ingest_refused_batches_total", { door: "fast", reason: "unknown_stream" })).toBe(1);
    expect(d("streamscope_ingest_refused_batches_total", { door: "fast", reason: "invalid" })).toBe(1);
    expect(d("streamscope_ingest_refused_batches_total", { door: "fast", reason: "content_type" })).toBe(1);
    expect(d("streamscope_ingest_refused_events_total", { reason: "event_time" })).toBe(2);
    expect(d("streamscope_ingest_refused_events_total", { reason: "unknown_stream" })).toBe(4);
    expect(d("streamscope_ingest_request_duration_seconds_count", { door: "fast" })).toBe(6);
    expect(d("streamscope_ingest_request_duration_seconds_count", { door: "next" })).toBe(1);
    expect(d("streamscope_job_runs_total", { job: "partitions", status: job.status })).toBe(1);
    expect(d("streamscope_job_duration_seconds_count", { job: "partitions", status: job.status })).toBe(1);
    expect(sample(after, "streamscope_db_pool_max_connections")).toBeGreaterThan(0);
    expect(sample(after, "streamscope_db_pool_connections")).toBeGreaterThan(0);
    expect(after).toMatch(/^streamscope_db_pool_waiting_requests \d+$/m);
    expect(after).toMatch(/^streamscope_process_resident_memory_bytes \d+/m);
  });
});
