import { describe, expect, it } from "vitest";
import { delta, figureTexts, formatDay, formatDuration, formatHours, formatInt, formatMs, formatPercent } from "./format";

describe("format", () => {
  it("formats durations, hours, percents and startup times", () => {
    expect(formatDuration(42)).toBe("42s");
    expect(formatDuration(245)).toBe("4m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatHours(5400)).toBe("1.5 h");
    expect(formatPercent(5 / 60)).toBe("8.33%");
    expect(formatPercent(0.25)).toBe("25.0%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatMs(null)).toBe("—");
    expect(formatMs(850.4)).toBe("850 ms");
    expect(formatMs(2900)).toBe("2.90 s");
    expect(formatInt(12345.6)).toBe("12,346");
    expect(formatDay("2025-03-01")).toBe("1 Mar 2025");
  });

  it("computes the change against the previous period", () => {
    expect(delta(150, 100)).toEqual({ ratio: 0.5, direction: "up", label: "+50.0%" });
    expect(delta(50, 100)).toEqual({ ratio: -0.5, direction: "down", label: "−50.0%" });
    expect(delta(300, 100).label).toBe("+200%");
    expect(delta(5, 0)).toEqual({ ratio: null, direction: "up", label: "new" });
    expect(delta(0, 0)).toEqual({ ratio: 0, direction: "flat", label: "no change" });
  });

  it("shows figures as short texts, lists summarized", () => {
    expect(
      figureTexts({
        removedRows: 12345,
        dryRun: true,
        seconds: 0.1234,
        items: [{ table: "event_partitions.playback_events_2019_03", action: "drop", rows: 2 }],
        none: null,
      }),
    ).toEqual([
      "removedRows: 12,345",
      "dryRun: true",
      "seconds: 0.123",
      "items: 1 item",
      "  · table event_partitions.playback_events_2019_03, action drop, rows 2",
    ]);
  });
});
