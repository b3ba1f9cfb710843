import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsFixture, D1, D3 } from "./analytics.testkit";
import { streamsCsv } from "./csvExport";
import { streamsList } from "./queries/streamsList";
import { parse } from "csv-parse/sync";

let fx: Awaited<ReturnType<typeof createAnalyticsFixture>>;
beforeAll(async () => {
  fx = await createAnalyticsFixture();
});

/** Reads the export back with a real CSV parser (quoted fields, doubled quotes). */
const parseCsv = (text: string): string[][] => parse(text);

describe("streams CSV", () => {
  it("has every filtered row in table order, with formula-looking titles neutralised", async () => {
    const filters = { from: D1, to: D3, organizerId: fx.orgA.id };
    const text = await new Response(streamsCsv(filters, { sort: "watchSeconds", dir: "desc" })).text();
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "stream_id", "title", "organizer", "provider", "status", "started_at", "ended_at", "unique_viewers", "sessions",
      "watch_seconds", "avg_watch_seconds", "peak_concurrent_viewers", "buffer_ratio", "error_rate", "startup_ms_avg", "startup_ms_p95",
    ]);
    const table = await streamsList(filters, { sort: "watchSeconds", dir: "desc", limit: 100, offset: 0 });
    expect(rows.map((r) => r[0])).toEqual(table.rows.map((r) => r.id));
    const s1 = rows.find((r) => r[0] === fx.s1.id)!;
    // The title starts with "=": a spreadsheet must show it as text.
    expect(s1[1]).toBe(`'=Alpha 100% ${fx.token}`);
    expect(s1.slice(3, 16)).toEqual(["bunny_stream", "ended", "2025-03-01T09:55:00.000Z", "", "3", "4", "1000", "250", "1", "0.04", "0.25", "2000", "2900"]);
    const s4 = rows.find((r) => r[0] === fx.s4.id)!;
    expect(s4.slice(7)).toEqual(["0", "0", "0", "0", "0", "0", "0", "", ""]);
  });

  it("reads batch after batch without losing or repeating a row", async () => {
    const filters = { from: D1, to: D3, q: fx.token };
    const all = await new Response(streamsCsv(filters, { sort: "title", dir: "asc" })).text();
    const oneByOne = await new Response(streamsCsv(filters, { sort: "title", dir: "asc" }, 1)).text();
    expect(oneByOne).toBe(all);
    expect(parseCsv(all).map((r) => r[0])).toEqual(["stream_id", fx.s1.id, fx.s2.id, fx.s3.id, fx.s4.id]);
  });

  it("is only the header when nothing matches", async () => {
    const text = await new Response(streamsCsv({ from: D1, to: D3, q: `nothing ${fx.token} matches` }, { sort: "title", dir: "asc" })).text();
    expect(parseCsv(text)).toHaveLength(1);
  });
});
