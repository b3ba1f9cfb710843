// The streams table as CSV: every row matching the filters (not just one page), in the table's
// order, written in batches as a stream. csv-stringify quotes as needed and, with
// escape_formulas, prefixes cells that a spreadsheet would run as a formula (=, +, -, @, …) with '.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { AnalyticsFilters } from "./filters";
import { streamsList, type StreamListOptions, type StreamRangeStats } from "./queries/streamsList";

const BATCH = 500;

const round = (n: number, digits: number) => Number(n.toFixed(digits));
const iso = (d: Date | null) => (d ? d.toISOString() : "");

const csvColumns: { header: string; value: (r: StreamRangeStats) => string | number }[] = [
  { header: "stream_id", value: (r) => r.id },
  { header: "title", value: (r) => r.title },
  { header: "organizer", value: (r) => r.organizerName },
  { header: "provider", value: (r) => r.provider ?? "" },
  { header: "status", value: (r) => r.status },
  { header: "started_at", value: (r) => iso(r.startedAt) },
  { header: "ended_at", value: (r) => iso(r.endedAt) },
  { header: "unique_viewers", value: (r) => r.uniqueViewers },
  { header: "sessions", value: (r) => r.sessions },
  { header: "watch_seconds", value: (r) => round(r.watchSeconds, 1) },
  { header: "avg_watch_seconds", value: (r) => round(r.avgWatchSeconds, 1) },
  { header: "peak_concurrent_viewers", value: (r) => r.peakConcurrent },
  { header: "buffer_ratio", value: (r) => round(r.bufferRatio, 6) },
  { header: "error_rate", value: (r) => round(r.errorRate, 6) },
  { header: "startup_ms_avg", value: (r) => (r.startupMsAvg === null ? "" : Math.round(r.startupMsAvg)) },
  { header: "startup_ms_p95", value: (r) => (r.startupMsP95 === null ? "" : Math.round(r.startupMsP95)) },
];

/** A web ReadableStream of the CSV (header line first). */
export function streamsCsv(
  filters: AnalyticsFilters,
  order: Pick<StreamListOptions, "sort" | "dir">,
  batchSize = BATCH,
): ReadableStream<Uint8Array> {
  const csv = stringify({ header: true, columns: csvColumns.map((c) => c.header), escape_formulas: true, cast: { number: (n) => String(n) } });
  async function* rows() {
    for (let offset = 0; ; offset += batchSize) {
      const { rows: batch, total } = await streamsList(filters, { ...order, limit: batchSize, offset });
      for (const r of batch) yield csvColumns.map((c) => c.value(r));
      if (batch.length < batchSize || offset + batchSize >= total) return;
    }
  }
  // Readable.from pulls the next batch only when the client has taken the previous one.
  const source = Readable.from(rows());
  source.on("error", (err) => csv.destroy(err));
  return Readable.toWeb(source.pipe(csv)) as ReadableStream<Uint8Array>;
}
