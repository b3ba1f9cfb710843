import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Sender, splitBatches } from "./sender";
import { KEYS } from "./storage";
import { fakeBrowser } from "./browser.testkit";
import { MAX_BATCH_BYTES, type TrackedEvent } from "~/contract";

const ev = (seq: number, extra?: Record<string, unknown>): TrackedEvent => ({ type: "heartbeat", ts: Date.now(), videoTime: seq, seq, ...(extra ? { extra } : {}) });

function sender(b: ReturnType<typeof fakeBrowser>, over: Partial<ConstructorParameters<typeof Sender>[0]> = {}) {
  return new Sender({ endpoint: "/api/analytics/events", streamId: "s1", clientId: "client_0001", store: b.store, fetch: b.fetch, beacon: b.beacon, ...over });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-24T12:00:00Z"));
  vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("batching", () => {
  it("sends when 10 events wait", async () => {
    const b = fakeBrowser();
    const s = sender(b);
    for (let i = 1; i <= 9; i++) s.add(ev(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(b.posts).toHaveLength(0);
    s.add(ev(10));
    await vi.advanceTimersByTimeAsync(0);
    expect(b.posts).toHaveLength(1);
    expect(b.posts[0]!.body.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(b.posts[0]!.body.sentAt).toBe(Date.now());
    s.destroy();
  });

  it("sends 15 s after the first waiting event", async () => {
    const b = fakeBrowser();
    const s = sender(b);
    s.add(ev(1));
    await vi.advanceTimersByTimeAsync(10_000);
    s.add(ev(2));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(b.posts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.posts).toHaveLength(1);
    expect(b.posts[0]!.body.events).toHaveLength(2);
    // The next batch gets its own 15 s.
    s.add(ev(3));
    await vi.advanceTimersByTimeAsync(14_999);
    expect(b.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.posts).toHaveLength(2);
    s.destroy();
  });

  it("never puts more than 100 events or 64 KB in one batch", () => {
    const many = Array.from({ length: 250 }, (_, i) => ev(i + 1));
    const sizes = splitBatches("s1", "client_0001", many, 1).map((x) => x.events.length);
    expect(sizes).toEqual([100, 100, 50]);
    const big = Array.from({ length: 90 }, (_, i) => ev(i + 1, { message: "é".repeat(900) }));
    const batches = splitBatches("s1", "client_0001", big, 1);
    expect(batches.length).toBeGreaterThan(1);
    for (const x of batches) expect(new TextEncoder().encode(JSON.stringify(x)).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(batches.flatMap((x) => x.events.map((e) => e.seq))).toEqual(big.map((e) => e.seq));
  });
});

describe("failures", () => {
  it("keeps a failed batch in localStorage and retries with growing backoff until it is stored", async () => {
    let fail = 3;
    const b = fakeBrowser(() => (fail-- > 0 ? new TypeError("Failed to fetch") : 202));
    const s = sender(b, { retryBaseMs: 1000 });
    s.add(ev(1));
    await s.flush();
    expect(b.fetchMock).toHaveBeenCalledTimes(1);
    expect(JSON.parse(b.store.getItem(KEYS.queue)!)).toEqual([{ s: "s1", c: "client_0001", e: [ev(1)] }]);
    await vi.advanceTimersByTimeAsync(999);
    expect(b.fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // 1 s
    expect(b.fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(b.fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // 2 s
    expect(b.fetchMock).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(4000); // 4 s, succeeds
    expect(b.fetchMock).toHaveBeenCalledTimes(4);
    expect(b.posts.map((p) => p.body.events[0]!.seq)).toEqual([1]);
    expect(b.store.getItem(KEYS.queue)).toBeNull();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(b.fetchMock).toHaveBeenCalledTimes(4);
    s.destroy();
  });

  it("retries 5xx, honours Retry-After on 429 and drops what the server refuses for good", async () => {
    const codes = [503, 429, 202];
    const b = fakeBrowser(() => codes.shift() ?? 202);
    const s = sender(b, { retryBaseMs: 1000 });
    s.add(ev(1));
    await s.flush();
    await vi.advanceTimersByTimeAsync(1000); // 429 → Retry-After: 7
    expect(b.fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(6999);
    expect(b.fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.fetchMock).toHaveBeenCalledTimes(3);
    expect(b.store.getItem(KEYS.queue)).toBeNull();

    const bad = fakeBrowser(400);
    const s2 = sender(bad);
    s2.add(ev(5));
    await s2.flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(bad.fetchMock).toHaveBeenCalledTimes(1);
    expect(bad.store.getItem(KEYS.queue)).toBeNull();
    s.destroy();
    s2.destroy();
  });

  it("bounds the offline queue, dropping the oldest events", async () => {
    const b = fakeBrowser(() => new TypeError("offline"));
    const s = sender(b, { queueMaxEvents: 25 });
    for (let i = 1; i <= 40; i++) s.add(ev(i));
    await vi.advanceTimersByTimeAsync(0);
    const q = JSON.parse(b.store.getItem(KEYS.queue)!) as { e: TrackedEvent[] }[];
    expect(q.flatMap((x) => x.e.map((e) => e.seq))).toEqual(Array.from({ length: 25 }, (_, i) => i + 16));
    s.destroy();
  });

  it("resends what an earlier page left in the queue, skipping events too old for the server", async () => {
    const b = fakeBrowser(202);
    const old = { ...ev(1), ts: Date.now() - 25 * 3_600_000 };
    b.store.setItem(KEYS.queue, JSON.stringify([{ s: "other-stream", c: "client_0001", e: [old, ev(2), ev(3)] }]));
    const s = sender(b);
    await s.drain();
    expect(b.posts).toHaveLength(1);
    expect(b.posts[0]!.body).toMatchObject({ streamId: "other-stream", clientId: "client_0001" });
    expect(b.posts[0]!.body.events.map((e) => e.seq)).toEqual([2, 3]);
    expect(b.store.getItem(KEYS.queue)).toBeNull();
    s.destroy();
  });

  it("survives storage that throws", async () => {
    const b = fakeBrowser(() => new TypeError("offline"));
    const throwing = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("quota"); }, removeItem: () => {} };
    const { safeStore } = await import("./storage");
    const s = sender(b, { store: safeStore(throwing) });
    s.add(ev(1));
    await expect(s.flush()).resolves.toBeUndefined();
    s.destroy();
  });
});
