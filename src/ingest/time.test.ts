// Unit: event time = receive time − (sentAt − ts), and the 24 h / future refusals.
import { describe, expect, it } from "vitest";
import type { Batch } from "./schema";
import { FUTURE_TOLERANCE_MS, MAX_EVENT_AGE_MS } from "~/contract";
import { correctTimes, correctedTime } from "./time";

const batch = (sentAt: number, ...ts: number[]): Batch => ({
  streamId: "s",
  clientId: "clientid1",
  sentAt,
  events: ts.map((t, i) => ({ type: "heartbeat", ts: t, videoTime: 0, seq: i })),
});

describe("time correction", () => {
  const received = 1_764_000_000_000;

  it("keeps offsets inside a batch and ignores the client's clock", () => {
    // Client clock 3 h fast: its sentAt and ts are both 3 h ahead.
    const fast = 3 * 3600_000;
    expect(correctedTime(received, received + fast, received + fast - 10_000)).toBe(received - 10_000);
    const r = correctTimes(batch(received + fast, received + fast - 30_000, received + fast - 15_000, received + fast), received);
    expect(r).toEqual({ ok: true, at: [received - 30_000, received - 15_000, received] });
  });

  it("refuses an event more than 24 h old, after correction", () => {
    const r = correctTimes(batch(5_000_000, 5_000_000 - MAX_EVENT_AGE_MS - 1, 5_000_000), received);
    expect(r).toEqual({ ok: false, issues: [{ path: "events.0.ts", message: "event is more than 24 h old" }] });
    expect(correctTimes(batch(5_000_000, 5_000_000 - MAX_EVENT_AGE_MS), received).ok).toBe(true);
  });

  it("refuses an event in the future beyond the tolerance", () => {
    expect(correctTimes(batch(1000, 1000 + FUTURE_TOLERANCE_MS), received).ok).toBe(true);
    const r = correctTimes(batch(1000, 1000, 1000 + FUTURE_TOLERANCE_MS + 1), received);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(["events.1.ts"]);
  });
});
