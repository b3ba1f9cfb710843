"use client";
import Link from "next/link";
import { STREAMS_PAGE_SIZES } from "~/contract";
import type { StreamSortKey } from "~/analytics/filters";
import { formatDateTime, formatDuration, formatHours, formatInt, formatMs, formatPercent } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/react";
import { StatusBadge } from "./StatusBadge";

type StreamRangeStats = RouterOutputs["analytics"]["streams"]["rows"][number];

const columns: { key: StreamSortKey; label: string; numeric?: boolean; render: (r: StreamRangeStats) => React.ReactNode }[] = [
  {
    key: "title",
    label: "Stream",
    render: (r) => (
      <>
        <Link href={`/admin/analytics/streams/${encodeURIComponent(r.id)}`} className="stream-link">
          {r.title}
        </Link>
        <div className="muted small">
          {r.organizerName} · {r.provider === "bunny_stream" ? "Bunny Stream" : r.provider === "youtube" ? "YouTube" : "no player"}
        </div>
      </>
    ),
  },
  { key: "startedAt", label: "Started", render: (r) => (r.startedAt ? formatDateTime(r.startedAt) : r.scheduledStartAt ? `planned ${formatDateTime(r.scheduledStartAt)}` : "—") },
  { key: "uniqueViewers", label: "Viewers", numeric: true, render: (r) => formatInt(r.uniqueViewers) },
  { key: "sessions", label: "Views", numeric: true, render: (r) => formatInt(r.sessions) },
  { key: "watchSeconds", label: "Watch time", numeric: true, render: (r) => formatHours(r.watchSeconds) },
  { key: "avgWatchSeconds", label: "Avg view", numeric: true, render: (r) => formatDuration(r.avgWatchSeconds) },
  { key: "peakConcurrent", label: "Peak", numeric: true, render: (r) => formatInt(r.peakConcurrent) },
  { key: "bufferRatio", label: "Buffering", numeric: true, render: (r) => formatPercent(r.bufferRatio) },
  { key: "errorRate", label: "Errors", numeric: true, render: (r) => formatPercent(r.errorRate) },
  { key: "startupMsAvg", label: "Startup", numeric: true, render: (r) => formatMs(r.startupMsAvg) },
];

export function StreamsTable({
  rows,
  sort,
  dir,
  onSort,
  busy,
}: {
  rows: StreamRangeStats[];
  sort: StreamSortKey;
  dir: "asc" | "desc";
  onSort: (key: StreamSortKey) => void;
  busy?: boolean;
}) {
  return (
    <div className="table-scroll" aria-busy={busy}>
      <table className="streams-table" data-testid="streams-table">
        <thead>
          <tr>
            <th scope="col" className="status-col">
              Status
            </th>
            {columns.map((c) => {
              const active = c.key === sort;
              return (
                <th key={c.key} scope="col" className={c.numeric ? "num" : undefined} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
                  <button type="button" className="sort-button" onClick={() => onSort(c.key)}>
                    {c.label}
                    <span aria-hidden className="sort-mark">
                      {active ? (dir === "asc" ? " ▲" : " ▼") : ""}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-stream-id={r.id}>
              <td className="status-col">
                <StatusBadge status={r.status} />
              </td>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? "num" : c.key === "title" ? "title-cell" : undefined} data-col={c.key}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({
  page,
  pageCount,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span data-testid="pager-status">
        {formatInt(first)}–{formatInt(last)} of {formatInt(total)} streams
      </span>
      <span className="pager-buttons">
        <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          ← Previous
        </button>
        <span>
          Page {page} of {pageCount}
        </span>
        <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pageCount}>
          Next →
        </button>
      </span>
      <label>
        Rows{" "}
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {STREAMS_PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
