// The ingestion core: POST /api/analytics/events as a plain function, framework-free. Both doors
// (the Next.js route handler and the self-hosted fast path) adapt their request to IngestRequest
// and send back the IngestResponse as it is, so they answer byte-for-byte the same.
import { loadEnv } from "~/env";
import { detect } from "~/lib/detect";
import { clientAddress, clientPolicyFromEnv, SOCKET_ONLY, type ClientPolicy, type HeaderGetter } from "~/lib/clientAddress";
import { countryOf } from "~/lib/geo";
import { log } from "~/lib/log";
import { metrics } from "~/lib/metrics";
import { getPool } from "~/lib/db/pool";
import { rateLimiterFromEnv, type RateLimiter } from "~/lib/rateLimit";
import { ANSWER_TIMEOUT_MS, BODY_TIMEOUT_MS, MAX_BATCH_BYTES } from "~/contract";
import { parseBody, type Issue } from "./schema";
import { correctTimes } from "./time";
import { createStreamCache, type StreamCache } from "./streamCache";
import { BatchRefused, DEFAULT_MAX_IN_FLIGHT, createWriter, type PreparedBatch, type Writer } from "./writer";

export type Door = "next" | "fast";

export interface IngestRequest {
  method: string;
  /** Request header by lower-case name. */
  header: HeaderGetter;
  /** The TCP peer, when the door knows it (node:http does; a Web Request does not). */
  socketAddress: string | null;
  /**
   * Reads the body, giving up (null) as soon as it exceeds `limit` bytes; rejects when the body
   * breaks off, or once `signal` aborts (the core stopped waiting: stop reading).
   */
  readBody(limit: number, signal?: AbortSignal): Promise<Buffer | null>;
}

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or "" for 204. */
  body: string;
  /** The rest of the request body was not read: the connection should not be reused. */
  closeConnection?: boolean;
  /** Why a batch was refused (metrics and logs; never sent). */
  refusal?: { reason: RefusalReason; events: number | null };
}

export type RefusalReason =
  | "method"
  | "content_type"
  | "rate_limited"
  | "too_large"
  | "invalid"
  | "event_time"
  | "unknown_stream"
  | "database_refused"
  | "slow_body"
  | "incomplete"
  | "unavailable"
  | "timeout"
  | "internal";

function refused(res: IngestResponse, reason: RefusalReason, events: number | null = null): IngestResponse {
  return { ...res, refusal: { reason, events } };
}

export interface IngestDeps {
  limiter: RateLimiter;
  streams: StreamCache;
  writer: Writer;
  /** Which proxies and country header to believe (src/lib/clientAddress.ts); default: none. */
  client?: ClientPolicy;
  now?: () => number;
  /** The request's time budget (docs/ingest-api.md#time-budget); the contract's by default. */
  budget?: { bodyMs: number; answerMs: number };
}

const CORS = {
  "access-control-allow-origin": "*",
};

function json(status: number, payload: unknown, extra: Record<string, string> = {}): IngestResponse {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...CORS, ...extra },
    body: JSON.stringify(payload),
  };
}

const invalid = (error: string, issues: Issue[]) => json(400, { error, issues });
const unavailable = (events: number) =>
  refused(json(503, { error: "database unavailable, retry later" }, { "retry-after": "5" }), "unavailable", events);
const unknownStream = (events: number) => refused(json(404, { error: "unknown stream" }), "unknown_stream", events);

export function preflight(): IngestResponse {
  return {
    status: 204,
    headers: {
      ...CORS,
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "86400",
    },
    body: "",
  };
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Where the request came from, for the rate limit and GeoIP; never stored or logged. */
export function requestAddress(req: IngestRequest, deps: Pick<IngestDeps, "client">): string | null {
  return clientAddress(req.header, req.socketAddress, deps.client ?? SOCKET_ONLY);
}

/** The batch alone was refused by the database (src/ingest/writer.ts): a 400 naming what its error names. */
function refusedByDatabase(err: BatchRefused, events: number): IngestResponse {
  const text = `${err.message} (SQLSTATE ${err.code})`;
  const issue: Issue = /json/i.test(`${err.message} ${err.where ?? ""}`)
    ? { path: "events", message: `an event's extra: ${text}` }
    : /stream_id/.test(`${err.constraint ?? ""} ${err.column ?? ""}`)
      ? { path: "streamId", message: text }
      : { path: "", message: text };
  return refused(invalid("refused by the database", [issue]), "database_refused", events);
}

const TIMED_OUT = Symbol("timed out");

/** `p`'s value, or TIMED_OUT once `ms` have passed (p goes on; its outcome is then ignored). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms))));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every request is answered, within its time budget: whatever throws on the way (a bug, a stack
 * overflow) becomes a JSON 500, and a request still unanswered when the budget ends (a database
 * that does not answer) gets a 503. A batch answered 503 that way may still be committed later:
 * resending it is safe (its events are then duplicates).
 */
export async function handleIngest(req: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  const answerMs = deps.budget?.answerMs ?? ANSWER_TIMEOUT_MS;
  try {
    const res = await within(answer(req, deps), answerMs);
    if (res !== TIMED_OUT) return res;
    return refused(
      { ...json(503, { error: `no answer from the database within ${answerMs / 1000} s, retry later` }, { "retry-after": "5" }), closeConnection: true },
      "timeout",
    );
  } catch (err) {
    log.error({ err: (err as Error)?.message, stack: (err as Error)?.stack }, "ingest: request failed");
    return refused({ ...json(500, { error: "internal error" }), closeConnection: true }, "internal");
  }
}

/** The body within the budget, or the answer that refuses it (413, 408, or 400 when it broke off). */
async function receiveBody(req: IngestRequest, deps: IngestDeps): Promise<Buffer | IngestResponse> {
  const bodyMs = deps.budget?.bodyMs ?? BODY_TIMEOUT_MS;
  const stop = new AbortController();
  try {
    const body = await within(req.readBody(MAX_BATCH_BYTES, stop.signal), bodyMs);
    if (body === TIMED_OUT) {
      stop.abort();
      return refused({ ...json(408, { error: `body not received within ${bodyMs / 1000} s` }), closeConnection: true }, "slow_body");
    }
    if (body === null) return refused({ ...json(413, { error: `body over ${MAX_BATCH_BYTES} bytes` }), closeConnection: true }, "too_large");
    return body;
  } catch {
    // The connection closed (or failed) before the body ended: usually nobody is left to read this.
    return refused({ ...json(400, { error: "body incomplete: the request ended before its body did" }), closeConnection: true }, "incomplete");
  }
}

async function answer(req: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  const receivedAt = (deps.now ?? Date.now)();
  if (req.method === "OPTIONS") return preflight();
  if (req.method !== "POST") return refused(json(405, { error: "method not allowed, use POST" }, { allow: "POST, OPTIONS" }), "method");

  const type = mediaType(req.header("content-type"));
  if (type !== "text/plain" && type !== "application/json") {
    return refused(json(415, { error: "content type must be text/plain or application/json" }), "content_type");
  }

  const address = requestAddress(req, deps);
  const rate = await deps.limiter.hit(address ?? "unknown", receivedAt);
  if (!rate.allowed) {
    return refused(json(429, { error: "too many batches from this address" }, { "retry-after": String(rate.retryAfter) }), "rate_limited");
  }

  const declared = Number(req.header("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BATCH_BYTES) {
    return refused({ ...json(413, { error: `body over ${MAX_BATCH_BYTES} bytes` }), closeConnection: true }, "too_large");
  }
  const body = await receiveBody(req, deps);
  if (!Buffer.isBuffer(body)) return body;

  const parsed = parseBody(body);
  if (!parsed.ok) return refused(invalid(parsed.error, parsed.issues), "invalid");
  const batch = parsed.batch;
  const times = correctTimes(batch, receivedAt);
  if (!times.ok) return refused(invalid("invalid batch", times.issues), "event_time", batch.events.length);

  try {
    if (!(await deps.streams.exists(batch.streamId))) return unknownStream(batch.events.length);
  } catch (err) {
    log.warn({ err: (err as Error).message }, "ingest: stream lookup failed");
    return unavailable(batch.events.length);
  }

  const who = detect(req.header("user-agent"));
  if (who.bot) {
    metrics.events.inc({ result: "bot" }, batch.events.length);
    return json(202, { ingested: 0, duplicates: 0 });
  }

  const prepared: PreparedBatch = {
    streamId: batch.streamId,
    clientId: batch.clientId,
    country: countryOf(req.header, address, (deps.client ?? SOCKET_ONLY).countryHeader),
    deviceClass: who.deviceClass,
    browser: who.browser,
    os: who.os,
    events: batch.events.map((e, i) => ({
      type: e.type,
      at: times.at[i]!,
      ts: e.ts,
      videoTime: e.videoTime,
      seq: e.seq,
      extra: e.extra ?? null,
    })),
  };

  for (let attempt = 0; ; attempt++) {
    try {
      const result = await deps.writer.write(prepared);
      metrics.events.inc({ result: "stored" }, result.ingested);
      if (result.duplicates) metrics.events.inc({ result: "duplicate" }, result.duplicates);
      return json(202, result);
    } catch (err) {
      // Anything but the database refusing this batch's own data means it is not answering as it
      // should: 503, and the tracker resends.
      if (!(err instanceof BatchRefused)) {
        log.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, "ingest: write failed");
        return unavailable(batch.events.length);
      }
      if (err.code !== "23503" || attempt > 0) return refusedByDatabase(err, batch.events.length);
      // A foreign key: most likely our stream was deleted after it was cached. Check it again;
      // write again if it still exists.
      deps.streams.forget(batch.streamId);
      try {
        if (!(await deps.streams.exists(batch.streamId))) return unknownStream(batch.events.length);
      } catch {
        return unavailable(batch.events.length);
      }
    }
  }
}

// ---------------------------------------------------------------- the process-wide instance

const g = globalThis as unknown as { streamscopeIngest?: IngestDeps };

/** Rate limiter, stream cache and writer shared by both doors of this process. */
export function ingestDeps(): IngestDeps {
  if (g.streamscopeIngest) return g.streamscopeIngest;
  const env = loadEnv();
  const poolMax = Number(getPool().options.max ?? 10);
  g.streamscopeIngest = {
    limiter: rateLimiterFromEnv(env),
    streams: createStreamCache({ pool: getPool }),
    // Leave a connection or two for the rest of the app (pages, stream lookups).
    writer: createWriter({ pool: getPool, maxInFlight: Math.max(1, Math.min(DEFAULT_MAX_IN_FLIGHT, poolMax - 2)) }),
    client: clientPolicyFromEnv(env),
  };
  return g.streamscopeIngest;
}

/** The endpoint with the process-wide dependencies; records metrics per door. */
export async function ingest(req: IngestRequest, door: Door): Promise<IngestResponse> {
  const started = performance.now();
  const res = await handleIngest(req, ingestDeps());
  const seconds = (performance.now() - started) / 1000;
  metrics.batches.inc({ door, status: String(res.status) });
  metrics.duration.observe({ door }, seconds);
  if (res.refusal) {
    const { reason, events } = res.refusal;
    metrics.refused.inc({ door, reason });
    if (events) metrics.eventsRefused.inc({ reason }, events);
    // Reasons and counts only: no address, no clientId, no body.
    const entry = { door, reason, status: res.status, events, ms: Math.round(seconds * 1000) };
    if (res.status >= 500) log.warn(entry, "ingest: batch refused");
    else if (reason === "rate_limited") log.debug(entry, "ingest: batch refused");
    else log.info(entry, "ingest: batch refused");
  }
  return res;
}
