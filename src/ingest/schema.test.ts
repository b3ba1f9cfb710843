// Unit: the batch schema, row by row of docs/ingest-api.md's answers table.
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, MAX_EXTRA_DEPTH } from "~/contract";
import { parseBatch, parseBody } from "./schema";

const valid = () => ({
  streamId: "demo-live-bunny",
  clientId: "abcDEF12_-",
  sentAt: 1764000000000,
  events: [
    { type: "play", ts: 1763999990000, videoTime: 0, seq: 1, extra: { startupMs: 850 } },
    { type: "heartbeat", ts: 1764000005000, videoTime: 15.2, seq: 2 },
  ],
});

function issuesOf(body: unknown) {
  const r = parseBatch(typeof body === "string" ? body : JSON.stringify(body));
  if (r.ok) throw new Error("expected a refusal");
  return r;
}
const paths = (body: unknown) => issuesOf(body).issues.map((i) => i.path);

describe("parseBatch", () => {
  it("accepts the contract's example", () => {
    const r = parseBatch(JSON.stringify(valid()));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.batch.events[0]!.extra).toEqual({ startupMs: 850 });
  });

  it.each(EVENT_TYPES)("accepts event type %s", (type) => {
    const b = valid();
    b.events[1]!.type = type;
    expect(parseBatch(JSON.stringify(b)).ok).toBe(true);
  });

  it("refuses a body that is not JSON", () => {
    const r = issuesOf("{\"streamId\": ");
    expect(r.error).toBe("body is not JSON");
    expect(r.issues).toHaveLength(1);
  });

  it.each(["streamId", "clientId", "sentAt", "events"])("refuses a missing %s, naming it", (field) => {
    const b = valid() as Record<string, unknown>;
    delete b[field];
    expect(paths(b)).toEqual([field]);
  });

  it.each(["type", "ts", "videoTime", "seq"])("refuses an event without %s, naming events.1.%s", (field) => {
    const b = valid();
    delete (b.events[1] as Record<string, unknown>)[field];
    expect(paths(b)).toEqual([`events.1.${field}`]);
  });

  it.each([
    ["streamId", 42],
    ["clientId", 12345678],
    ["sentAt", "1764000000000"],
    ["events", {}],
  ])("refuses %s of the wrong type", (field, value) => {
    expect(paths({ ...valid(), [field]: value })).toEqual([field]);
  });

  it.each([
    ["ts", "yesterday"],
    ["videoTime", "15"],
    ["seq", 1.5],
    ["extra", "text"],
    ["extra", [1, 2]],
  ])("refuses an event's %s of the wrong type", (field, value) => {
    const b = valid();
    (b.events[0] as Record<string, unknown>)[field] = value;
    expect(paths(b)).toEqual([`events.0.${field}`]);
  });

  it("refuses an unknown event type with the path of the contract (events.3.type)", () => {
    const b = valid();
    b.events = [0, 1, 2, 3].map((i) => ({ type: "heartbeat", ts: 1764000000000, videoTime: i, seq: i + 1 }));
    b.events[3]!.type = "seek";
    const r = issuesOf(b);
    expect(r.issues).toEqual([{ path: "events.3.type", message: expect.any(String) }]);
    expect(r.issues[0]!.message).toMatch(/play/);
  });

  it("refuses a negative videoTime", () => {
    const b = valid();
    b.events[1]!.videoTime = -0.5;
    expect(paths(b)).toEqual(["events.1.videoTime"]);
  });

  it("refuses 0 events and more than 100, accepts exactly 100", () => {
    expect(paths({ ...valid(), events: [] })).toEqual(["events"]);
    const ev = (i: number) => ({ type: "heartbeat", ts: 1764000000000, videoTime: i, seq: i });
    expect(paths({ ...valid(), events: Array.from({ length: 101 }, (_, i) => ev(i)) })).toEqual(["events"]);
    expect(parseBatch(JSON.stringify({ ...valid(), events: Array.from({ length: 100 }, (_, i) => ev(i)) })).ok).toBe(true);
  });

  it.each(["short", "x".repeat(65), "has space1", "émoji-ünicode", "a/b/c/d/e"])("refuses clientId %j", (clientId) => {
    expect(paths({ ...valid(), clientId })).toEqual(["clientId"]);
  });

  it.each(["abcdefgh", "A".repeat(64), "a-b_c-d_09"])("accepts clientId %j", (clientId) => {
    expect(parseBatch(JSON.stringify({ ...valid(), clientId })).ok).toBe(true);
  });

  it("refuses an empty streamId and a seq beyond PostgreSQL's integer", () => {
    expect(paths({ ...valid(), streamId: "" })).toEqual(["streamId"]);
    const b = valid();
    b.events[0]!.seq = 2 ** 31;
    expect(paths(b)).toEqual(["events.0.seq"]);
  });

  it("takes an extra of up to 2 KB and refuses a larger one", () => {
    const b = valid();
    (b.events[0] as Record<string, unknown>).extra = { message: "x".repeat(2000) };
    expect(parseBatch(JSON.stringify(b)).ok).toBe(true);
    (b.events[0] as Record<string, unknown>).extra = { message: "x".repeat(2100) };
    expect(paths(b)).toEqual(["events.0.extra"]);
  });

  it("lists every problem at once", () => {
    const b = valid();
    b.events[0]!.type = "nope";
    b.events[1]!.videoTime = -1;
    expect(paths({ ...b, clientId: "x" })).toEqual(["clientId", "events.0.type", "events.1.videoTime"]);
  });

  it("refuses a JSON value that is not an object", () => {
    expect(paths([1, 2])).toEqual([""]);
  });
});

describe("parseBatch: what PostgreSQL could not store is refused up front (it would fail a whole group)", () => {
  it("refuses U+0000 anywhere in extra, and control characters in streamId", () => {
    const b = valid();
    (b.events[1] as Record<string, unknown>).extra = { nested: { message: "a\u0000b" } };
    expect(paths(b)).toEqual(["events.1.extra"]);
    (b.events[1] as Record<string, unknown>).extra = { message: "a literal \\u0000 is fine" };
    expect(parseBatch(JSON.stringify(b)).ok).toBe(true);
    expect(paths({ ...valid(), streamId: "demo\u0000x" })).toEqual(["streamId"]);
  });

  it("refuses a startupMs that is not a non-negative integer-range number", () => {
    for (const startupMs of [-1, 1e12, "850"]) {
      const b = valid();
      b.events[0]!.extra = { startupMs: startupMs as number };
      expect(paths(b)).toEqual(["events.0.extra.startupMs"]);
    }
  });
});

describe("parseBatch: what PostgreSQL could not store, and what is too deep to walk, never reaches a group", () => {
  const withExtra = (extraJson: string) => {
    const text = JSON.stringify(valid()).replace('{"startupMs":850}', extraJson);
    const r = parseBatch(text);
    return r.ok ? null : r.issues;
  };
  const nested = (levels: number, leaf = "1") => '{"a":'.repeat(levels - 1) + `{"b":${leaf}}` + "}".repeat(levels - 1);

  it("refuses a lone surrogate in a string or a key of extra, and in streamId, naming the field", () => {
    expect(withExtra('{"message":"\\ud800"}')).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/well-formed Unicode.*message/) }]);
    expect(withExtra('{"deep":{"list":["ok","\\udfff x"]}}')).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/deep\.list\.1/) }]);
    expect(withExtra('{"\\udc00key":1}')).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/key/) }]);
    // A high surrogate followed by its low one is a well-formed pair (🎬).
    expect(withExtra('{"message":"\\ud83c\\udfac","🎬":"é"}')).toBeNull();
    expect(paths({ ...valid(), streamId: "demo\ud800" })).toEqual(["streamId"]);
  });

  it("refuses U+0000 in a key of extra", () => {
    expect(withExtra('{"a\\u0000b":1}')).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/U\+0000/) }]);
  });

  it(`takes extra nested ${MAX_EXTRA_DEPTH} levels deep and refuses ${MAX_EXTRA_DEPTH + 1}, arrays counting as levels`, () => {
    expect(withExtra(nested(MAX_EXTRA_DEPTH))).toBeNull();
    expect(withExtra(nested(MAX_EXTRA_DEPTH + 1))).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/at most 32 levels/) }]);
    expect(withExtra(nested(MAX_EXTRA_DEPTH - 1, "[1]"))).toBeNull();
    expect(withExtra(nested(MAX_EXTRA_DEPTH, "[1]"))).not.toBeNull();
  });

  it("answers a body nested 5,000 and 30,000 levels deep with a 400 naming the field, without throwing", () => {
    for (const levels of [5_000, 30_000]) {
      const started = performance.now();
      expect(withExtra(nested(levels))).toEqual([{ path: "events.0.extra", message: expect.stringMatching(/levels deep/) }]);
      const deepStream = `{"streamId":${"[".repeat(levels)}${"]".repeat(levels)},"clientId":"abcdefgh","sentAt":1,"events":[]}`;
      expect(paths(deepStream)).toEqual(["streamId", "events"]);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("keeps extra exactly as sent, __proto__ and constructor keys included", () => {
    const text = JSON.stringify(valid()).replace('{"startupMs":850}', '{"__proto__":{"x":1},"constructor":"c","startupMs":5}');
    const r = parseBatch(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const extra = r.batch.events[0]!.extra!;
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(JSON.stringify(extra)).toBe('{"__proto__":{"x":1},"constructor":"c","startupMs":5}');
  });

  it("refuses a body that is not UTF-8 (never stores replacement characters in its place)", () => {
    const body = Buffer.concat([Buffer.from(JSON.stringify(valid()).slice(0, -2)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("]}")]);
    expect(parseBody(body)).toEqual({ ok: false, error: "body is not JSON", issues: [{ path: "", message: "not valid UTF-8" }] });
    expect(parseBody(Buffer.from(JSON.stringify(valid()))).ok).toBe(true);
    // A byte-order mark is not JSON text.
    expect(parseBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(valid()))])).ok).toBe(false);
  });
});
