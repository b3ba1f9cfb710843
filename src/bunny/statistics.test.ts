import { describe, expect, it } from "vitest";
import { SAMPLE_ANSWER, SAMPLE_ANSWER_DATE_KEYS } from "./answers.testkit";
import { BunnyParseError, parseChartKey, parseStatistics, sumByDay } from "./statistics";

describe("parseChartKey", () => {
  it("reads YYYY-MM-DD as that UTC day", () => {
    expect(parseChartKey("2026-11-19")?.toISOString()).toBe("2026-11-19T00:00:00.000Z");
  });
  it("reads ISO date-times with Z, an offset, no zone (UTC) and .NET's 7 fractional digits", () => {
    expect(parseChartKey("2026-11-19T00:00:00Z")?.toISOString()).toBe("2026-11-19T00:00:00.000Z");
    expect(parseChartKey("2026-11-19T13:00:00")?.toISOString()).toBe("2026-11-19T13:00:00.000Z");
    expect(parseChartKey("2026-11-19T01:00:00+01:00")?.toISOString()).toBe("2026-11-19T00:00:00.000Z");
    expect(parseChartKey("2026-11-19T00:00:00.1234567Z")?.toISOString()).toBe("2026-11-19T00:00:00.123Z");
  });
  it("refuses what is not a date", () => {
    expect(parseChartKey("yesterday")).toBeNull();
    expect(parseChartKey("2026-02-30")).toBeNull();
    expect(parseChartKey("19/11/2026")).toBeNull();
  });
});

describe("parseStatistics", () => {
  it("parses Bunny's answer with ISO date-time keys", () => {
    const s = parseStatistics(SAMPLE_ANSWER);
    expect(sumByDay(s.views)).toEqual({ "2026-11-18": 132, "2026-11-19": 287, "2026-11-20": 0 });
    expect(sumByDay(s.watchSeconds)).toEqual({ "2026-11-18": 61_284, "2026-11-19": 158_912, "2026-11-20": 0 });
    expect(s.countryViews).toEqual(SAMPLE_ANSWER.countryViewCounts);
    expect(s.countryWatchSeconds.DE).toBe(87_420);
    expect(s.engagementScore).toBe(71);
    expect(s.raw).toBe(SAMPLE_ANSWER);
  });

  it("gives the same figures for YYYY-MM-DD keys", () => {
    const a = parseStatistics(SAMPLE_ANSWER);
    const b = parseStatistics(SAMPLE_ANSWER_DATE_KEYS);
    expect(b.views).toEqual(a.views);
    expect(b.watchSeconds).toEqual(a.watchSeconds);
  });

  it("sums hourly keys into UTC days", () => {
    const s = parseStatistics({
      viewsChart: { "2026-11-19T00:00:00Z": 3, "2026-11-19T23:00:00Z": 4, "2026-11-20T00:00:00Z": 5 },
      watchTimeChart: {},
    });
    expect(sumByDay(s.views)).toEqual({ "2026-11-19": 7, "2026-11-20": 5 });
  });

  it("converts watch time to seconds in the configured unit", () => {
    const ms = parseStatistics({ ...SAMPLE_ANSWER, watchTimeChart: { "2026-11-19": 90_000 }, countryWatchTime: { de: 4_000 } }, "milliseconds");
    expect(sumByDay(ms.watchSeconds)["2026-11-19"]).toBe(90);
    expect(ms.countryWatchSeconds).toEqual({ DE: 4 });
    const min = parseStatistics({ ...SAMPLE_ANSWER, watchTimeChart: { "2026-11-19": 3 } }, "minutes");
    expect(sumByDay(min.watchSeconds)["2026-11-19"]).toBe(180);
  });

  it("reads missing or null charts and score as empty", () => {
    const s = parseStatistics({ viewsChart: null, engagementScore: null });
    expect(s.views).toEqual({});
    expect(s.watchSeconds).toEqual({});
    expect(s.countryViews).toEqual({});
    expect(s.engagementScore).toBeNull();
  });

  it("names the bad field", () => {
    expect(() => parseStatistics({ viewsChart: { yesterday: 3 } })).toThrow(/viewsChart\.yesterday: key "yesterday" is not a date/);
    expect(() => parseStatistics({ viewsChart: { "2026-11-19": -1 } })).toThrow(BunnyParseError);
    expect(() => parseStatistics({ watchTimeChart: { "2026-11-19": "12" } })).toThrow(/watchTimeChart\.2026-11-19/);
    expect(() => parseStatistics([1, 2])).toThrow(/body/);
    expect(() => parseStatistics({ engagementScore: "high" })).toThrow(/engagementScore/);
  });
});
