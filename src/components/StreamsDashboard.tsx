"use client";
// /admin/analytics/streams: filters (kept in the URL), KPI cards against the previous period, the
// daily chart, the sortable paged table and the CSV download of exactly the filtered rows.
import { keepPreviousData } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { formatDay, formatDuration, formatHours, formatInt, formatPercent } from "~/lib/format";
import { defaultRange, type StreamSortKey, type TStreamsInput } from "~/analytics/filters";
import { readStreamsSearchParams, toSearchParams } from "~/analytics/searchParams";
import { api } from "~/trpc/react";
import { AnalyticsFiltersBar, type FilterValues } from "./AnalyticsFiltersBar";
import { DailyViewersChart } from "./DailyViewersChart";
import { KpiCards } from "./KpiCards";
import { EmptyState, ErrorState, LoadingBlock } from "./QueryState";
import { Pager, StreamsTable } from "./StreamsTable";

// Text columns read best A→Z first; figures biggest first.
const ascendingFirst: StreamSortKey[] = ["title", "organizer"];

export function StreamsDashboard() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const input = useMemo(() => readStreamsSearchParams(searchParams), [searchParams]);
  const today = defaultRange().to;

  // The newest requested view: router.replace() lands a moment later, and a second change made
  // before it lands (a preset, then an organizer) must build on the first, not on the old URL.
  const latest = useRef(input);
  useEffect(() => {
    latest.current = input;
  }, [input]);
  const update = useCallback(
    (patch: Partial<TStreamsInput>) => {
      const next = { ...latest.current, ...patch };
      latest.current = next;
      const qs = toSearchParams(next).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );
  const onFilter = useCallback((patch: Partial<FilterValues>) => update({ ...patch, page: 1 }), [update]);

  const { sort, dir, page: _page, pageSize: _pageSize, ...filters } = input;
  const summary = api.analytics.summary.useQuery(filters, { placeholderData: keepPreviousData });
  const streams = api.analytics.streams.useQuery(input, { placeholderData: keepPreviousData });

  const csvHref = useMemo(() => {
    const qs = toSearchParams({ ...filters, sort, dir }, new Date(0));
    return `/api/admin/analytics/streams.csv?${qs.toString()}`;
  }, [filters, sort, dir]);

  const s = summary.data;
  const periodLabel = `${formatDay(input.from)} – ${formatDay(input.to)}`;
  const previousLabel = s ? `${formatDay(s.previousRange.from)} – ${formatDay(s.previousRange.to)}` : undefined;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Stream analytics</h1>
          <p className="muted" data-testid="period">
            {periodLabel} (UTC){previousLabel && <> · compared with {previousLabel}</>}
          </p>
        </div>
        <a className="button" href={csvHref} download data-testid="csv-download">
          ⬇ Download CSV
        </a>
      </div>

      <AnalyticsFiltersBar value={filters} today={today} onChange={onFilter} />

      <section aria-label="Key figures" className="section">
        {summary.isPending ? (
          <LoadingBlock label="Loading key figures…" />
        ) : summary.isError && !s ? (
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} title="Could not load the key figures" />
        ) : s ? (
          <KpiCards
            comparedTo={previousLabel}
            kpis={[
              { id: "unique-viewers", label: "Unique viewers", value: s.current.uniqueViewers, previous: s.previous.uniqueViewers, format: formatInt, hint: "Distinct viewers across the matching streams (a viewer of several streams counts once)" },
              { id: "watch-hours", label: "Watch time", value: s.current.watchSeconds, previous: s.previous.watchSeconds, format: formatHours },
              { id: "avg-view", label: "Average view", value: s.current.avgWatchSeconds, previous: s.previous.avgWatchSeconds, format: formatDuration, hint: "Watch time per view (session)" },
              { id: "peak-concurrent", label: "Peak concurrent", value: s.current.peakConcurrent, previous: s.previous.peakConcurrent, format: formatInt, hint: "Most viewers watching one stream at the same time" },
              { id: "buffer-ratio", label: "Buffer ratio", value: s.current.bufferRatio, previous: s.previous.bufferRatio, format: formatPercent, higherIsBetter: false, hint: "Time spent buffering / watch time" },
              { id: "error-rate", label: "Error rate", value: s.current.errorRate, previous: s.previous.errorRate, format: formatPercent, higherIsBetter: false, hint: "Views that hit a playback error" },
            ]}
          />
        ) : null}
      </section>

      <section aria-label="Viewers and watch time per day" className="card section">
        <h2>Viewers and watch time per day</h2>
        {summary.isPending ? (
          <LoadingBlock label="Loading chart…" height={280} />
        ) : s ? (
          s.current.sessions === 0 && s.current.uniqueViewers === 0 ? (
            <EmptyState>Nobody watched the matching streams in this period.</EmptyState>
          ) : (
            <DailyViewersChart data={s.daily} />
          )
        ) : (
          summary.isError && <p className="muted">The chart needs the key figures above.</p>
        )}
      </section>

      <section aria-label="Streams" className="card section">
        <h2>Streams</h2>
        {streams.isPending ? (
          <LoadingBlock label="Loading streams…" height={200} />
        ) : streams.isError && !streams.data ? (
          <ErrorState error={streams.error} onRetry={() => void streams.refetch()} title="Could not load the streams" />
        ) : streams.data && streams.data.total === 0 ? (
          <EmptyState>
            No streams match these filters in this period. Widen the date range or clear a filter.
          </EmptyState>
        ) : streams.data ? (
          <>
            {streams.isError && <ErrorState error={streams.error} onRetry={() => void streams.refetch()} title="Showing older figures: the refresh failed" />}
            <StreamsTable
              rows={streams.data.rows}
              sort={sort}
              dir={dir}
              busy={streams.isFetching}
              onSort={(key) =>
                update({ sort: key, dir: key === sort ? (dir === "asc" ? "desc" : "asc") : ascendingFirst.includes(key) ? "asc" : "desc", page: 1 })
              }
            />
            <Pager
              page={streams.data.page}
              pageCount={streams.data.pageCount}
              pageSize={streams.data.pageSize}
              total={streams.data.total}
              onPage={(p) => update({ page: p })}
              onPageSize={(n) => update({ pageSize: n, page: 1 })}
            />
          </>
        ) : null}
      </section>
    </>
  );
}
