import { describe, expect, it } from "vitest";
import { splitSessions, walk, type WalkEvent } from "./walk";

const at = (s: number) => s * 1000;
const ev = (type: WalkEvent["type"], s: number, extra?: unknown): WalkEvent => ({ type, at: at(s), extra });

describe("walk (metrics.md per-session figures)", () => {
  it("play + 4 heartbeats at 15 s → 60 s", () => {
    const r = walk([ev("play", 0), ev("heartbeat", 15), ev("heartbeat", 30), ev("heartbeat", 45), ev("heartbeat", 60)]);
    expect(r.watchSeconds).toBe(60);
    expect(r.bufferSeconds).toBe(0);
    expect(r.state).toBe("playing");
  });

  it("buffering 20 s → 25 s counts 5 s of buffer inside the watch time", () => {
    const r = walk([ev("play", 0), ev("heartbeat", 15), ev("buffer_start", 20), ev("buffer_end", 25), ev("heartbeat", 30)]);
    expect(r.bufferSeconds).toBe(5);
    expect(r.watchSeconds).toBe(30);
  });

  it("pauses are not counted; a heartbeat after a pause means playing again", () => {
    const r = walk([ev("play", 0), ev("pause", 10), ev("play", 100), ev("heartbeat", 115), ev("pause", 120), ev("heartbeat", 200), ev("heartbeat", 215)]);
    expect(r.watchSeconds).toBe(10 + 15 + 5 + 15);
  });

  it("caps every gap at 30 s", () => {
    const r = walk([ev("play", 0), ev("heartbeat", 600)]);
    expect(r.watchSeconds).toBe(30);
  });

  it("error marks the session and keeps the state; ended stops the clock", () => {
    const r = walk([ev("play", 0), ev("error", 5), ev("heartbeat", 15), ev("ended", 20), ev("heartbeat", 1000)]);
    expect(r.hasError).toBe(true);
    // 0→5 playing, 5→15 playing, 15→20 playing, 20→1000 idle (heartbeat revives only from then on)
    expect(r.watchSeconds).toBe(20);
  });

  it("startupMs comes from the first play only", () => {
    expect(walk([ev("play", 0, { startupMs: 850 }), ev("play", 10, { startupMs: 100 })]).startupMs).toBe(850);
    expect(walk([ev("play", 0), ev("play", 10, { startupMs: 100 })]).startupMs).toBeNull();
  });

  it("continues across batches exactly as one walk", () => {
    const all = [ev("play", 0), ev("heartbeat", 15), ev("buffer_start", 20), ev("buffer_end", 26), ev("heartbeat", 40), ev("pause", 41)];
    const once = walk(all);
    const twice = walk(all.slice(3), walk(all.slice(0, 3)));
    expect(twice).toEqual(once);
  });
});

describe("splitSessions (30-min rule)", () => {
  it("a gap of 30 min or more starts a new session", () => {
    const min = 60;
    const events = [{ at: at(0) }, { at: at(29 * min) }, { at: at(59 * min) }, { at: at(59 * min + 1) }];
    expect(splitSessions(events).map((s) => s.length)).toEqual([2, 2]);
  });
});
