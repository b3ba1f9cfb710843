import { describe, expect, it } from "vitest";
import { parseStreamsSearchParams, readStreamsSearchParams, toSearchParams } from "./searchParams";

const now = new Date("2025-03-31T12:00:00Z");
const sp = (s: string) => new URLSearchParams(s);

describe("analytics URL parameters", () => {
  it("round-trips filters, leaving defaults out", () => {
    const input = readStreamsSearchParams(sp("from=2025-03-01&to=2025-03-07&org=o1&provider=youtube&status=ended&q=final&sort=title&dir=asc&page=2&size=50"), now);
    expect(input).toEqual({ from: "2025-03-01", to: "2025-03-07", organizerId: "o1", provider: "youtube", status: "ended", q: "final", sort: "title", dir: "asc", page: 2, pageSize: 50 });
    expect(toSearchParams(input, now).toString()).toBe("from=2025-03-01&to=2025-03-07&org=o1&provider=youtube&status=ended&q=final&sort=title&dir=asc&page=2&size=50");
    const defaults = readStreamsSearchParams(sp(""), now);
    expect(defaults).toMatchObject({ from: "2025-03-02", to: "2025-03-31", sort: "uniqueViewers", dir: "desc", page: 1, pageSize: 25 });
    expect(toSearchParams(defaults, now).toString()).toBe("");
  });

  it("the dashboard ignores malformed parameters", () => {
    const input = readStreamsSearchParams(sp("from=2025-13-01&provider=vimeo&sort=drop&page=-1&size=1000"), now);
    expect(input).toMatchObject({ from: "2025-03-02", to: "2025-03-31", provider: undefined, sort: "uniqueViewers", page: 1, pageSize: 25 });
    expect(readStreamsSearchParams(sp("from=2025-03-10&to=2025-03-01"), now)).toMatchObject({ from: "2025-03-02", to: "2025-03-31" });
  });

  it("the CSV export names the bad parameter", () => {
    expect(parseStreamsSearchParams(sp("provider=vimeo"), now)).toMatchObject({ ok: false, error: expect.stringMatching(/^provider: /) });
    expect(parseStreamsSearchParams(sp("from=2025-03-10&to=2025-03-01"), now)).toEqual({ ok: false, error: "to: must be on or after from" });
    expect(parseStreamsSearchParams(sp("size=500"), now)).toMatchObject({ ok: false, error: expect.stringMatching(/^size: /) });
    expect(parseStreamsSearchParams(sp("org=o1"), now)).toMatchObject({ ok: true, value: { organizerId: "o1", from: "2025-03-02" } });
  });
});
