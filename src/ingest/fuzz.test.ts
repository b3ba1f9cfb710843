// Fuzz: hundreds of generated hostile and malformed requests — wrong types, Unicode edge cases,
// nesting, sizes at and past every limit, numbers past 2^53, NaN/Infinity as text, duplicate and
// prototype keys, wrong content types and methods, slow, stalled, truncated and non-UTF-8 bodies —
// mixed with valid batches and resends, each sent through BOTH doors (the Next.js route handler's
// function, and npm start's node:http front with its fast routes). While the database is up:
//   - every request is answered, none with a 5xx;
//   - every refusal is a 4xx with a JSON body; a 400 names the field (issues with their paths);
//   - what should be stored is answered 202 with ingested + duplicates = its events;
//   - both doors give a refusal the same answer, byte for byte;
//   - rows stored = events answered as ingested, and the sessions count exactly those rows.
// The generator is seeded (fast-check): a failure names its case and the seed; FUZZ_SEED=<n>
// replays or explores another run.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLIENT_ID_PATTERN, EVENT_TYPES, MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, MAX_EXTRA_BYTES, MAX_EXTRA_DEPTH, MAX_SEQ, MAX_STARTUP_MS, MAX_STREAM_ID_LENGTH } from "~/contract";
import { FUTURE_TOLERANCE_MS, MAX_EVENT_AGE_MS } from "~/contract";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { fastDoor, nextDoor, type DoorAnswer, type DoorRequest, type TestDoor } from "./doors.testkit";
import { ingestDeps, type IngestDeps } from "./handler";

// Every request speaks from an address of its own (X-Forwarded-For, trusted here): no rate limit.
process.env.TRUST_PROXY = "1";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const HOSTILE = 220;
const VALID = 60;
// The body budget far above what a slow but complete body takes (60 ms), so a busy machine cannot
// turn one into a 408; stalled bodies wait it out, both doors at once.
const BUDGET = { bodyMs: 5_000, answerMs: 15_000 };
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

type Expect = "accept" | "refuse" | "any";
interface FuzzCase {
  name: string;
  req: DoorRequest;
  expect: Expect;
  /** Events in the batch, when it is one (202: ingested + duplicates). */
  events?: number;
  /** A 400 names this field: some issue's path matches. */
  field?: RegExp;
}

// ---------------------------------------------------------------- building blocks

const NOW = Date.now();
const RUN = uid("fz").slice(3, 11);
let streams: string[] = [];

interface Ev {
  type: string;
  ts: number;
  videoTime: number;
  seq: number;
  extra?: unknown;
}

/** A valid batch: `n` events 15 s apart ending now, seq from `seq0`. */
function batch(streamId: string, clientId: string, n: number, seq0: number, extra?: (i: number) => unknown): Record<string, unknown> {
  const events: Ev[] = Array.from({ length: n }, (_, i) => ({
    type: i === 0 ? "play" : EVENT_TYPES[(seq0 + i) % EVENT_TYPES.length]!,
    ts: NOW - (n - 1 - i) * 15_000,
    videoTime: i * 15,
    seq: seq0 + i,
    ...(extra ? { extra: extra(i) } : {}),
  }));
  return { streamId, clientId, sentAt: NOW, events };
}

let clientCounter = 0;
const PROTO_CLIENT = `${RUN}_proto`;
/** A clientId of this run (valid, unique). */
const client = () => `${RUN}_${(clientCounter++).toString(36).padStart(4, "0")}`;

/** Text of `value` with the sentinel string "@RAW@" replaced by `raw` (JSON that JSON.stringify cannot write). */
const RAW = "@RAW@";
const withRaw = (value: unknown, raw: string) => JSON.stringify(value).replace(JSON.stringify(RAW), raw);

/** Strings with the Unicode cases that matter: lone surrogates, U+0000, BOM, U+FFFF, RTL, emoji, combining marks. */
const EDGE_CHARS = ["\ud800", "\udfff", "\u0000", "\ufeff", "\uffff", "\u202e", "🎬", "e\u0301", "\u0085", "\u2028", "\u001f", "\t", '"', "\\"];
const edgeString = fc.string({
  unit: fc.oneof({ weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: fc.constantFrom(...EDGE_CHARS) }),
  minLength: 1,
  maxLength: 12,
});
const badForDatabase = (s: string) => /\p{Cs}/u.test(s) || s.includes("\u0000");

/** `{"a":{"a":…{}}}` or `[[…[]]]`, `levels` deep (the outermost counts as one). */
const nested = (levels: number, kind: "object" | "array") =>
  kind === "object" ? '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1) : "[".repeat(levels) + "]".repeat(levels);

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const valid = (name: string, body: Record<string, unknown> | string, events: number, extra: Partial<FuzzCase> = {}): FuzzCase => ({
  name,
  req: { body: typeof body === "string" ? body : JSON.stringify(body) },
  expect: "accept",
  events,
  ...extra,
});
const refuse = (name: string, body: string | Buffer, field?: RegExp, extra: Partial<FuzzCase> = {}): FuzzCase => ({
  name,
  req: { body },
  expect: "refuse",
  field,
  ...extra,
});

// ---------------------------------------------------------------- the generators

/** A field given a value of the wrong type or out of its limits. */
const wrongField: fc.Arbitrary<FuzzCase> = fc
  .record({
    field: pick(["streamId", "clientId", "sentAt", "events", "type", "ts", "videoTime", "seq", "extra"] as const),
    value: fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer({ min: -1e6, max: -1 }),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }).filter((d) => !Number.isInteger(d)),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    ),
    event: fc.nat(2),
  })
  .filter(({ field, value }) => {
    // Keep only values that are really wrong for the field.
    if (field === "streamId") return typeof value !== "string" || value === "";
    if (field === "clientId") return typeof value !== "string" || !CLIENT_ID_PATTERN.test(value);
    if (field === "type") return !(EVENT_TYPES as readonly unknown[]).includes(value);
    if (field === "extra") return value !== null && (typeof value !== "object" || Array.isArray(value));
    if (field === "videoTime") return typeof value !== "number" || value < 0;
    return !(typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
  })
  .map(({ field, value, event }) => {
    const b = batch(streams[0]!, client(), 3, 1);
    const top = ["streamId", "clientId", "sentAt", "events"].includes(field);
    if (top) b[field] = value;
    else (b.events as Record<string, unknown>[])[event]![field] = value;
    // A wrong sentAt may also show as its events' times.
    const path = top ? (field === "sentAt" ? /^(sentAt|events\.\d+\.ts)$/ : new RegExp(`^${field}`)) : new RegExp(`^events\\.${event}\\.${field}`);
    return refuse(`${field} = ${JSON.stringify(value)}`, JSON.stringify(b), path);
  });

/** Unicode edge cases in streamId, in extra's keys and strings, in the event type. */
const unicode: fc.Arbitrary<FuzzCase> = fc.record({ where: pick(["streamId", "extraKey", "extraValue", "type"] as const), s: edgeString }).map(({ where, s }) => {
  const c = client();
  const name = `unicode in ${where}: ${JSON.stringify(s)}`;
  if (where === "streamId") {
    const b = batch(s, c, 1, 1);
    return { ...refuse(name, JSON.stringify(b)), field: /^streamId$/, expect: "refuse" as Expect, events: 1 };
  }
  if (where === "type") return refuse(name, JSON.stringify({ ...batch(streams[0]!, c, 1, 1), events: [{ type: s, ts: NOW, videoTime: 0, seq: 1 }] }), /^events\.0\.type$/);
  const b = batch(streams[1]!, c, 2, 1, (i) => (i === 1 ? (where === "extraKey" ? { [s]: 1 } : { message: s, list: [s] }) : undefined));
  return badForDatabase(s) ? refuse(name, JSON.stringify(b), /^events\.1\.extra$/) : valid(name, b, 2);
});

/** extra nested at, around and far past its depth limit; deep nesting where it is ignored or wrong. */
const nesting: fc.Arbitrary<FuzzCase> = fc
  .record({
    levels: pick([2, MAX_EXTRA_DEPTH - 1, MAX_EXTRA_DEPTH, MAX_EXTRA_DEPTH + 1, 100, 1_000, 5_000, 10_000]),
    kind: pick(["object", "array"] as const),
    where: pick(["extra", "unknownField", "streamId", "events"] as const),
  })
  .map(({ levels, kind, where }) => {
    const c = client();
    const name = `${kind} nested ${levels} deep in ${where}`;
    if (where === "extra") {
      // An array cannot be extra itself: wrap it, one level more.
      const text = kind === "object" ? nested(levels, "object") : `{"a":${nested(levels - 1, "array")}}`;
      const body = withRaw(batch(streams[0]!, c, 1, 1, () => RAW), text);
      return levels <= MAX_EXTRA_DEPTH ? valid(name, body, 1) : refuse(name, body, /^events\.0\.extra$/);
    }
    if (where === "unknownField") return valid(name, withRaw({ ...batch(streams[1]!, c, 2, 1), padding: RAW }, nested(levels, kind)), 2);
    if (where === "streamId") return refuse(name, withRaw(batch(RAW, c, 1, 1), nested(levels, kind)), /^streamId$/);
    return refuse(name, withRaw({ ...batch(streams[0]!, c, 1, 1), events: RAW }, nested(levels, kind)), /^events/);
  });

/** Numbers past 2^53, NaN and Infinity as text, in every numeric field. */
const numbers: fc.Arbitrary<FuzzCase> = fc
  .record({
    field: pick(["sentAt", "ts", "videoTime", "seq", "startupMs", "extraNumber"] as const),
    raw: pick(["9007199254740993", "18446744073709551616", "1e400", "-1e400", "1e308", "-0", "5e-324", "NaN", "Infinity", "-Infinity", '"NaN"', '"Infinity"', "0x10", "1.", ".5", "+1", "01"]),
  })
  .map(({ field, raw }) => {
    const c = client();
    const name = `${field} = ${raw}`;
    const b = batch(streams[0]!, c, 2, 1, (i) => (i === 0 && field === "startupMs" ? { startupMs: RAW } : i === 0 && field === "extraNumber" ? { n: RAW } : undefined));
    if (field === "sentAt") b.sentAt = RAW;
    else if (field === "ts" || field === "videoTime" || field === "seq") (b.events as Record<string, unknown>[])[1]![field] = RAW;
    const text = withRaw(b, raw);
    try {
      JSON.parse(text);
    } catch {
      return refuse(name, text, /^$/);
    }
    // A number too large to be exact is no seq; a string is no number; a sentAt or ts this far
    // from the batch's other times is refused by the time rules.
    const v = raw.startsWith('"') ? Number.NaN : Number(raw);
    const ok = {
      videoTime: Number.isFinite(v) && v >= 0,
      startupMs: Number.isFinite(v) && v >= 0 && v <= MAX_STARTUP_MS,
      extraNumber: true,
      seq: Number.isSafeInteger(v) && v >= 0 && v <= MAX_SEQ,
      ts: false,
      sentAt: false,
    }[field];
    return ok ? valid(name, text, 2) : refuse(name, text, field === "sentAt" ? /^(sentAt|events\.\d+\.ts)$/ : field === "startupMs" ? /^events\.0\.extra/ : new RegExp(`^events\\.1\\.${field}$`));
  });

/** Duplicate keys (the last wins), prototype keys (kept as data, never as prototypes), duplicate events. */
const keys: fc.Arbitrary<FuzzCase> = pick([
  "duplicateStreamId",
  "protoTop",
  "protoEvent",
  "protoExtra",
  "constructorKeys",
  "duplicateEvents",
  "protoReplacesFields",
] as const).map((kind) => {
  const c = client();
  const b = batch(streams[0]!, c, 2, 1);
  const text = JSON.stringify(b);
  switch (kind) {
    case "duplicateStreamId":
      return valid(kind, text.replace('{"streamId":', '{"streamId":"nostream","streamId":'), 2);
    case "protoTop":
      return valid(kind, text.replace('{"streamId":', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"streamId":'), 2);
    case "protoEvent":
      return valid(kind, text.replace('{"type":"play"', '{"__proto__":{"type":"error"},"type":"play"'), 2);
    case "protoExtra":
      return valid(kind, withRaw(batch(streams[1]!, c, 1, 1, () => RAW), '{"__proto__":{"startupMs":-1},"constructor":"c","toString":1,"hasOwnProperty":null}'), 1);
    case "constructorKeys":
      return valid(kind, withRaw({ ...b, constructor: RAW, prototype: RAW, toString: RAW }, "{}"), 2);
    case "duplicateEvents":
      return valid(kind, { ...b, events: [...(b.events as Ev[]), (b.events as Ev[])[0]] }, 3);
    case "protoReplacesFields":
      // The fields only inside __proto__: missing, not inherited.
      return refuse(kind, `{"__proto__":${text}}`, /^(streamId|clientId|sentAt|events)$/);
  }
});

/** Sizes at and past every limit of the contract. */
function limitCases(): FuzzCase[] {
  const ev = (i: number, extra?: unknown): Ev => ({ type: "heartbeat", ts: NOW - i, videoTime: i, seq: i + 1, ...(extra === undefined ? {} : { extra }) });
  const withEvents = (events: Ev[], streamId = streams[0]!, clientId = client()) => ({ streamId, clientId, sentAt: NOW, events });
  const extraOfBytes = (bytes: number) => ({ m: "x".repeat(bytes - '{"m":""}'.length) });
  const padded = (total: number) => {
    const text = JSON.stringify({ ...withEvents([ev(0)]), pad: "" });
    return text.replace('"pad":""', `"pad":"${"p".repeat(total - Buffer.byteLength(text))}"`);
  };
  const stream128 = "s".repeat(MAX_STREAM_ID_LENGTH);
  return [
    refuse("0 events", JSON.stringify(withEvents([])), /^events$/),
    valid("1 event", withEvents([ev(0)]), 1),
    valid(`${MAX_EVENTS_PER_BATCH} events`, withEvents(Array.from({ length: MAX_EVENTS_PER_BATCH }, (_, i) => ev(i))), MAX_EVENTS_PER_BATCH),
    refuse(`${MAX_EVENTS_PER_BATCH + 1} events`, JSON.stringify(withEvents(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ev(i)))), /^events$/),
    valid(`extra of ${MAX_EXTRA_BYTES} bytes`, withEvents([ev(0, extraOfBytes(MAX_EXTRA_BYTES))]), 1),
    refuse(`extra of ${MAX_EXTRA_BYTES + 1} bytes`, JSON.stringify(withEvents([ev(0, extraOfBytes(MAX_EXTRA_BYTES + 1))])), /^events\.0\.extra$/),
    valid(`body of ${MAX_BATCH_BYTES} bytes`, padded(MAX_BATCH_BYTES), 1),
    { ...refuse(`body of ${MAX_BATCH_BYTES + 1} bytes`, padded(MAX_BATCH_BYTES + 1)), expect: "refuse" },
    refuse(`streamId of ${MAX_STREAM_ID_LENGTH} characters (unknown)`, JSON.stringify(withEvents([ev(0)], stream128))),
    refuse(`streamId of ${MAX_STREAM_ID_LENGTH + 1} characters`, JSON.stringify(withEvents([ev(0)], stream128 + "s")), /^streamId$/),
    refuse("empty streamId", JSON.stringify(withEvents([ev(0)], "")), /^streamId$/),
    valid("clientId of 8 characters", withEvents([ev(0)], streams[0], `${RUN}`.slice(0, 8)), 1),
    valid("clientId of 64 characters", withEvents([ev(0)], streams[0], `${RUN}_`.padEnd(64, "z")), 1),
    refuse("clientId of 7 characters", JSON.stringify(withEvents([ev(0)], streams[0], "abcdefg")), /^clientId$/),
    refuse("clientId of 65 characters", JSON.stringify(withEvents([ev(0)], streams[0], "a".repeat(65))), /^clientId$/),
    valid(`seq ${MAX_SEQ}`, withEvents([{ ...ev(0), seq: MAX_SEQ }]), 1),
    refuse(`seq ${MAX_SEQ + 1}`, JSON.stringify(withEvents([{ ...ev(0), seq: MAX_SEQ + 1 }])), /^events\.0\.seq$/),
    valid(`startupMs ${MAX_STARTUP_MS}`, withEvents([{ ...ev(0), type: "play", extra: { startupMs: MAX_STARTUP_MS } }]), 1),
    refuse(`startupMs ${MAX_STARTUP_MS}.5 (rounds past the integer)`, JSON.stringify(withEvents([{ ...ev(0), extra: { startupMs: MAX_STARTUP_MS + 0.5 } }])), /^events\.0\.extra\.startupMs$/),
    valid("an event exactly 24 h old", withEvents([{ ...ev(0), ts: NOW - MAX_EVENT_AGE_MS }]), 1),
    refuse("an event 24 h and 1 ms old", JSON.stringify(withEvents([{ ...ev(0), ts: NOW - MAX_EVENT_AGE_MS - 1 }])), /^events\.0\.ts$/),
    valid("an event 10 s in the future", withEvents([{ ...ev(0), ts: NOW + FUTURE_TOLERANCE_MS }]), 1),
    refuse("an event 10 s and 1 ms in the future", JSON.stringify(withEvents([{ ...ev(0), ts: NOW + FUTURE_TOLERANCE_MS + 1 }])), /^events\.0\.ts$/),
    // One of each refusal whatever the seed draws, and the __proto__ extra checked in the database.
    { ...refuse("stalled body (fixed)", JSON.stringify(withEvents([ev(0)]))), req: { body: JSON.stringify(withEvents([ev(0)])), slow: { parts: 2, gapMs: 10, stall: true } } },
    { ...refuse("method PUT (fixed)", "{}"), req: { body: "{}", method: "PUT" } },
    { ...refuse("content type text/html (fixed)", JSON.stringify(withEvents([ev(0)]))), req: { body: JSON.stringify(withEvents([ev(0)])), contentType: "text/html" } },
    refuse("unknown stream (fixed)", JSON.stringify(withEvents([ev(0)], uid("nostream")))),
    valid("__proto__ in extra (fixed)", withRaw(withEvents([ev(0, RAW)], streams[1], PROTO_CLIENT), '{"__proto__":{"x":1},"constructor":"c"}'), 1),
  ];
}

/** Content types and methods; empty, truncated, non-UTF-8 and random bodies; slow and stalled ones. */
const transport: fc.Arbitrary<FuzzCase> = fc
  .record({
    kind: pick(["contentType", "method", "truncated", "bytes", "empty", "slow", "stall", "unknownStream", "notObject"] as const),
    contentType: pick(["application/json; charset=utf-8", "TEXT/PLAIN;charset=UTF-8", " application/json ", "text/html", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx", "text/plain-x", "", null]),
    method: pick(["GET", "HEAD", "PUT", "PATCH", "DELETE"]),
    cut: fc.double({ min: 0, max: 0.999, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    json: fc.jsonValue({ maxDepth: 3 }),
  })
  .map(({ kind, contentType, method, cut, bytes, json }) => {
    const c = client();
    const text = JSON.stringify(batch(streams[1]!, c, 3, 1));
    switch (kind) {
      case "contentType": {
        const accepted = contentType !== null && ["application/json", "text/plain"].includes(contentType.split(";")[0]!.trim().toLowerCase());
        const cs = { ...(accepted ? valid(`content type ${JSON.stringify(contentType)}`, text, 3) : refuse(`content type ${JSON.stringify(contentType)}`, text)) };
        return { ...cs, req: { ...cs.req, contentType } };
      }
      case "method":
        return { ...refuse(`method ${method}`, text), req: { body: text, method } };
      case "truncated": {
        const at = Math.floor(cut * text.length);
        return refuse(`truncated at ${at} of ${text.length}`, text.slice(0, at), /^$/);
      }
      case "bytes":
        return refuse(`${bytes.length} random bytes`, Buffer.from(bytes));
      case "empty":
        return refuse("empty body", "", /^$/);
      case "slow":
        return { ...valid("slow body, complete within the budget", text, 3), req: { body: text, slow: { parts: 3, gapMs: 20 } } };
      case "stall":
        return { ...refuse("stalled body", text), req: { body: text, slow: { parts: 2, gapMs: 10, stall: true } } };
      case "unknownStream":
        return refuse("unknown stream", JSON.stringify(batch(uid("nostream"), c, 1, 1)));
      case "notObject":
        return json !== null && typeof json === "object" && !Array.isArray(json)
          ? refuse("a JSON object of other fields", JSON.stringify(json), /^(streamId|clientId|sentAt|events)$/)
          : refuse(`JSON ${JSON.stringify(json).slice(0, 40)}`, JSON.stringify(json), /^$/);
    }
  });

/** Valid batches: 1 to 100 events, random extras, some sent again (resends). */
const validBatch: fc.Arbitrary<FuzzCase> = fc
  .record({
    n: fc.integer({ min: 1, max: MAX_EVENTS_PER_BATCH }),
    stream: fc.nat(1),
    seq0: fc.integer({ min: 0, max: 1_000_000 }),
    extra: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { nil: undefined }),
  })
  .map(({ n, stream, seq0, extra }) => {
    const b = batch(streams[stream]!, client(), n, seq0, extra && ((i) => (i === 0 ? { ...extra, startupMs: 1 } : extra)));
    const text = JSON.stringify(b);
    // Too big for the contract: send the batch without extras instead.
    return Buffer.byteLength(text) > MAX_BATCH_BYTES || (extra && Buffer.byteLength(JSON.stringify({ ...extra, startupMs: 1 })) > MAX_EXTRA_BYTES)
      ? valid(`valid batch of ${n}`, batch(streams[stream]!, client(), n, seq0), n)
      : valid(`valid batch of ${n}${extra ? " with extras" : ""}`, text, n);
  });

function generate(): FuzzCase[] {
  const hostile = fc.sample(fc.oneof(wrongField, unicode, nesting, numbers, keys, transport), { seed: SEED, numRuns: HOSTILE });
  const good = fc.sample(validBatch, { seed: SEED + 1, numRuns: VALID });
  // Resends: a few valid batches again, as a retried beacon.
  const resends = good.filter((_, i) => i % 6 === 0).map((c) => ({ ...c, name: `${c.name} (sent again)` }));
  const all = [...hostile, ...limitCases(), ...good, ...resends];
  // One seeded order for the whole run.
  const order = fc.sample(fc.shuffledSubarray(all.map((_, i) => i), { minLength: all.length }), { seed: SEED + 2, numRuns: 1 })[0]!;
  return order.map((i) => all[i]!);
}

// ---------------------------------------------------------------- the run

const doors: TestDoor[] = [];
let saved: IngestDeps["budget"];
beforeAll(async () => {
  doors.push(await nextDoor(), await fastDoor());
  streams = [(await createStream()).id, (await createStream()).id];
  saved = ingestDeps().budget;
  ingestDeps().budget = BUDGET;
});
afterAll(async () => {
  ingestDeps().budget = saved;
  for (const d of doors) await d.close();
});

let address = 0;
async function send(door: TestDoor, c: FuzzCase): Promise<DoorAnswer> {
  const n = address++;
  const req: DoorRequest = { ...c.req, headers: { "user-agent": UA, "x-forwarded-for": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } };
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${BUDGET.answerMs + 5_000} ms`)), BUDGET.answerMs + 5_000);
  });
  try {
    return await Promise.race([door.send(req), unanswered]);
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with one answer ("" when nothing). */
function problem(c: FuzzCase, method: string, a: DoorAnswer): string {
  if (a.status >= 500) return `answered ${a.status}`;
  if (a.status < 200) return `answered ${a.status}`;
  if (c.expect === "accept" && a.status !== 202) return `expected 202, got ${a.status} ${a.text.slice(0, 300)}`;
  if (c.expect === "refuse" && a.status < 400) return `expected a refusal, got ${a.status} ${a.text.slice(0, 200)}`;
  if (a.status === 204 || method === "HEAD") return "";
  if (a.headers["content-type"] !== "application/json" || a.json === null || typeof a.json !== "object") return `not a JSON answer: ${a.status} ${a.text.slice(0, 200)}`;
  const body = a.json as { error?: unknown; issues?: { path?: unknown; message?: unknown }[]; ingested?: unknown; duplicates?: unknown };
  if (a.status === 202) {
    if (!Number.isInteger(body.ingested) || !Number.isInteger(body.duplicates)) return `202 without counts: ${a.text}`;
    if (c.events !== undefined && (body.ingested as number) + (body.duplicates as number) !== c.events) return `202 counts ${a.text} for ${c.events} events`;
    return "";
  }
  if (typeof body.error !== "string" || !body.error) return `refusal without an error: ${a.text.slice(0, 200)}`;
  if (a.status === 400) {
    const issues = body.issues;
    if (!Array.isArray(issues) || issues.length === 0) return `400 without issues: ${a.text.slice(0, 200)}`;
    if (!issues.every((i) => typeof i.path === "string" && typeof i.message === "string" && i.message)) return `400 with a malformed issue: ${a.text.slice(0, 200)}`;
    if (c.field && !issues.some((i) => c.field!.test(i.path as string))) return `400 does not name ${c.field}: ${a.text.slice(0, 300)}`;
  }
  return "";
}

it(`answers ${HOSTILE} generated hostile requests and ${VALID} valid batches through both doors: no 5xx, JSON refusals naming the field, rows = events acknowledged (seed ${SEED})`, async () => {
  const cases = generate();
  const failures: string[] = [];
  let ingested = 0;
  let answered = 0;
  const statuses = new Map<number, number>();
  let next = 0;
  // Eight clients at a time, each sending its case through both doors.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const method = c.req.method ?? "POST";
        // Both doors at once: a valid batch is stored by one and a duplicate for the other.
        const answers = await Promise.all(
          doors.map(async (door) => {
            try {
              const a = await send(door, c);
              answered++;
              statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
              if (a.status === 202) ingested += (a.json as { ingested: number }).ingested;
              const p = problem(c, method, a);
              if (p) failures.push(`[${door.name}] ${c.name}: ${p}`);
              return a;
            } catch (err) {
              failures.push(`[${door.name}] ${c.name}: ${(err as Error).message}`);
              return undefined;
            }
          }),
        );
        // A refusal is the same whichever door took it (HEAD: no body to compare).
        const [a, b] = answers;
        if (a && b && a.status !== 202 && (a.status !== b.status || (method !== "HEAD" && a.text !== b.text))) {
          failures.push(`${c.name}: the doors differ: next ${a.status} ${a.text.slice(0, 150)} / fast ${b.status} ${b.text.slice(0, 150)}`);
        }
      }
    }),
  );
  expect(failures, `seed ${SEED}; replay with FUZZ_SEED=${SEED}`).toEqual([]);
  expect(answered).toBe(cases.length * 2);
  // Every kind of answer came up: the fuzz reaches every refusal.
  for (const status of [202, 400, 404, 405, 408, 413, 415]) expect(statuses.get(status) ?? 0, `answers ${status}`).toBeGreaterThan(0);

  const pool = getPool();
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM playback_events WHERE stream_id = ANY($1)", [streams]);
  expect(rows[0].n).toBe(ingested);
  const { rows: s } = await pool.query("SELECT coalesce(sum(event_count), 0)::int AS n FROM viewer_sessions WHERE stream_id = ANY($1)", [streams]);
  expect(s[0].n).toBe(ingested);
  // A __proto__ key in extra is stored as data, not dropped.
  const { rows: proto } = await pool.query("SELECT extra::text AS extra FROM playback_events WHERE client_id = $1", [PROTO_CLIENT]);
  expect(proto).toEqual([{ extra: '{"__proto__": {"x": 1}, "constructor": "c"}' }]);
}, 120_000);
