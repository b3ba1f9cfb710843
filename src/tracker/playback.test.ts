import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPlaybackTracker, apiEndpoint } from "./playback";
import { KEYS } from "./storage";
import { fakeBrowser } from "./browser.testkit";

function setup(b = fakeBrowser(), streamId = "stream-1") {
  let t = 0;
  const tracker = createPlaybackTracker({
    streamId,
    store: b.store,
    win: b.win,
    doc: b.doc,
    sender: { fetch: b.fetch, beacon: b.beacon },
  });
  tracker.setVideoTime(() => t);
  return { tracker, b, setTime: (s: number) => (t = s) };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-24T12:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("playback tracker", () => {
  it("sends play with startupMs measured from the play request to the first frame", async () => {
    const { tracker, b } = setup();
    tracker.playRequested();
    await vi.advanceTimersByTimeAsync(850);
    tracker.playing();
    await tracker.flush();
    expect(b.posts).toHaveLength(1);
    const batch = b.posts[0]!.body;
    expect(batch.streamId).toBe("stream-1");
    expect(batch.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(batch.events).toEqual([{ type: "play", ts: Date.parse("2026-11-24T12:00:00.850Z"), videoTime: 0, seq: 1, extra: { startupMs: 850 } }]);
    expect(b.posts[0]!.contentType).toBe("application/json");
    tracker.destroy();
  });

  it("sends a heartbeat every 15 s while playing or buffering and none while paused", async () => {
    const { tracker, b, setTime } = setup();
    tracker.playRequested();
    tracker.playing();
    for (let i = 1; i <= 4; i++) {
      setTime(i * 15);
      await vi.advanceTimersByTimeAsync(15_000);
    }
    tracker.bufferStart("stall");
    await vi.advanceTimersByTimeAsync(15_000);
    tracker.bufferEnd();
    tracker.paused();
    await vi.advanceTimersByTimeAsync(120_000);
    await tracker.flush();
    const types = b.delivered().map((e) => e.type);
    expect(types).toEqual(["play", "heartbeat", "heartbeat", "heartbeat", "heartbeat", "buffer_start", "heartbeat", "buffer_end", "pause"]);
    const hb = b.delivered().filter((e) => e.type === "heartbeat");
    expect(hb.map((e) => e.videoTime)).toEqual([15, 30, 45, 60, 60]);
    expect(hb[1]!.ts - hb[0]!.ts).toBe(15_000);
    // Resuming starts a fresh cadence, 15 s after the play.
    tracker.playing();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(tracker.state).toBe("playing");
    await tracker.flush();
    expect(b.delivered().at(-1)!.type).toBe("play");
    await vi.advanceTimersByTimeAsync(1);
    await tracker.flush();
    expect(b.delivered().at(-1)!.type).toBe("heartbeat");
    tracker.ended();
    await vi.advanceTimersByTimeAsync(60_000);
    await tracker.flush();
    expect(b.delivered().at(-1)!.type).toBe("ended");
    tracker.destroy();
  });

  it("ignores waiting before the first frame and repeated state reports", async () => {
    const { tracker, b } = setup();
    tracker.bufferStart();
    tracker.playRequested();
    tracker.playing();
    tracker.playing();
    tracker.bufferStart("stall");
    tracker.bufferStart("stall");
    tracker.playing();
    tracker.paused();
    tracker.paused();
    await tracker.flush();
    expect(b.delivered().map((e) => e.type)).toEqual(["play", "buffer_start", "buffer_end", "pause"]);
    expect(b.delivered()[1]!.extra).toEqual({ cause: "stall" });
    // Only the first play carries a startup time.
    expect(b.delivered()[0]!.extra).toHaveProperty("startupMs");
    tracker.playRequested();
    tracker.playing();
    await tracker.flush();
    expect(b.delivered().at(-1)).not.toHaveProperty("extra");
    tracker.destroy();
  });

  it("reports errors with code, message and fatal flag; a fatal one stops heartbeats", async () => {
    const { tracker, b } = setup();
    tracker.playRequested();
    tracker.playing();
    tracker.error("fragLoadError", "segment failed", false);
    tracker.error("manifestParsingError", "x".repeat(2000), true);
    await vi.advanceTimersByTimeAsync(60_000);
    const evs = b.delivered();
    expect(evs.map((e) => e.type)).toEqual(["play", "error", "error"]);
    expect(evs[1]!.extra).toEqual({ code: "fragLoadError", message: "segment failed", fatal: false });
    expect(evs[2]!.extra).toMatchObject({ code: "manifestParsingError", fatal: true });
    expect(JSON.stringify(evs[2]!.extra).length).toBeLessThan(2048);
    tracker.destroy();
  });

  it("adds the provider's context (bitrate, connection) to play and heartbeat", async () => {
    const { tracker, b } = setup();
    tracker.setContext(() => ({ bitrate: 800_000, connection: "4g" }));
    tracker.playing();
    await vi.advanceTimersByTimeAsync(15_000);
    await tracker.flush();
    expect(b.delivered().map((e) => e.extra)).toEqual([
      { bitrate: 800_000, connection: "4g" },
      { bitrate: 800_000, connection: "4g" },
    ]);
    tracker.destroy();
  });

  it("keeps clientId and a growing seq across reloads", async () => {
    const b = fakeBrowser();
    const first = setup(b);
    first.tracker.playing();
    first.tracker.paused();
    first.tracker.destroy();
    const second = setup(b, "stream-2");
    expect(second.tracker.clientId).toBe(first.tracker.clientId);
    second.tracker.playing();
    await second.tracker.flush();
    expect(b.beacons.flatMap((x) => x.events.map((e) => e.seq))).toEqual([1, 2]);
    expect(b.posts.flatMap((x) => x.body.events.map((e) => e.seq))).toEqual([3]);
    expect(b.store.getItem(KEYS.seq)).toBe("3");
    second.tracker.destroy();
  });

  it("sends the waiting batch by beacon on pagehide and on visibilitychange to hidden", async () => {
    const { tracker, b } = setup();
    tracker.playing();
    tracker.paused();
    b.win.dispatchEvent(new Event("pagehide"));
    expect(b.beacons).toHaveLength(1);
    expect(b.beacons[0]!.events.map((e) => e.type)).toEqual(["play", "pause"]);
    expect(b.beacon.mock.calls[0]![0]).toBe("/api/analytics/events");
    tracker.playing();
    b.doc.visibilityState = "hidden";
    b.doc.dispatchEvent(new Event("visibilitychange"));
    expect(b.beacons).toHaveLength(2);
    expect(b.posts).toHaveLength(0);
    tracker.destroy();
    // Nothing waits any more, so no empty beacon.
    expect(b.beacons).toHaveLength(2);
  });

  it("falls back to fetch keepalive when sendBeacon refuses, keeping the events until it answers", async () => {
    const { tracker, b } = setup();
    b.refuseBeacons();
    tracker.playing();
    b.win.dispatchEvent(new Event("pagehide"));
    expect(b.store.getItem(KEYS.queue)).toContain('"play"');
    await vi.advanceTimersByTimeAsync(0);
    expect(b.posts).toHaveLength(1);
    expect(b.posts[0]!.keepalive).toBe(true);
    expect(b.store.getItem(KEYS.queue)).toBeNull();
    tracker.destroy();
  });

  it("uses NEXT_PUBLIC_API_URL as the base when given", () => {
    expect(apiEndpoint("https://stats.example.com/")).toBe("https://stats.example.com/api/analytics/events");
    expect(apiEndpoint(undefined)).toBe("/api/analytics/events");
  });
});

describe("offline recovery", () => {
  it("resends the queue when the browser comes back online", async () => {
    let up = false;
    const b = fakeBrowser(() => (up ? 202 : new TypeError("offline")));
    const { tracker } = setup(b);
    tracker.playing();
    await tracker.flush();
    expect(b.store.getItem(KEYS.queue)).toContain('"play"');
    up = true;
    b.win.dispatchEvent(new Event("online"));
    await vi.advanceTimersByTimeAsync(0);
    expect(b.posts.map((p) => p.body.events.map((e) => e.type))).toEqual([["play"]]);
    expect(b.store.getItem(KEYS.queue)).toBeNull();
    tracker.destroy();
  });
});
