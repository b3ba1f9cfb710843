"use client";
// /admin/analytics/streams/[id]: one stream's all-time figures (as the aggregation job last
// calculated them) and its charts.
import Link from "next/link";
import { formatDateTime, formatDuration, formatHours, formatInt, formatMs, formatPercent } from "~/lib/format";
import { api } from "~/trpc/react";
import { BunnyStatsBlock } from "./BunnyStatsBlock";
import { DailyViewersChart } from "./DailyViewersChart";
import { KpiCards } from "./KpiCards";
import { EmptyState, ErrorState, LoadingBlock } from "./QueryState";
import { StatusBadge } from "./StatusBadge";
import { ConcurrencyChart, CountriesChart, DevicesChart, QualityChart, countryName } from "./StreamCharts";

export function StreamAnalytics({ streamId }: { streamId: string }) {
  const q = api.analytics.stream.useQuery({ id: streamId }, { refetchInterval: (query) => (query.state.data?.stream.status === "live" ? 60_000 : false) });

  if (q.isPending) return <LoadingBlock label="Loading the stream's figures…" height={300} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Could not load this stream" />;
  const { stream, stats, countries, devices, concurrency, daily, quality } = q.data;

  return (
    <>
      <p className="small">
        <Link href="/admin/analytics/streams">← All streams</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{stream.title}</h1>
          <p className="muted">
            <StatusBadge status={stream.status} /> {stream.organizer.name} ·{" "}
            {stream.provider === "bunny_stream" ? "Bunny Stream" : stream.provider === "youtube" ? "YouTube" : "no player"} ·{" "}
            {stream.startedAt ? `started ${formatDateTime(stream.startedAt)}` : stream.scheduledStartAt ? `planned ${formatDateTime(stream.scheduledStartAt)}` : "not scheduled"}
            {stream.endedAt && ` · ended ${formatDateTime(stream.endedAt)}`}
          </p>
        </div>
        <Link className="button" href={`/streams/${encodeURIComponent(stream.id)}`}>
          Open the player
        </Link>
      </div>

      {!stats ? (
        <EmptyState>
          No figures yet: the aggregation job has not processed any view of this stream. They appear after its next run
          (every few minutes), once someone has watched.
        </EmptyState>
      ) : (
        <>
          <KpiCards
            kpis={[
              { id: "unique-viewers", label: "Unique viewers", value: stats.uniqueViewers, format: formatInt },
              { id: "views", label: "Views", value: stats.sessions, format: formatInt },
              {
                id: "watch-hours",
                label: "Watch time",
                value: stats.totalWatchSeconds,
                format: formatHours,
                hint: stats.bunnyWatchSeconds !== null ? `Larger of ours (${formatHours(stats.ownWatchSeconds)}) and Bunny's (${formatHours(stats.bunnyWatchSeconds)})` : undefined,
              },
              { id: "avg-view", label: "Average view", value: stats.avgWatchSeconds, format: formatDuration },
              { id: "peak-concurrent", label: "Peak concurrent", value: stats.peakConcurrent, format: formatInt, hint: stats.peakConcurrentAt ? `at ${formatDateTime(stats.peakConcurrentAt)}` : undefined },
              { id: "buffer-ratio", label: "Buffer ratio", value: stats.bufferRatio, format: formatPercent },
              { id: "error-rate", label: "Error rate", value: stats.errorRate, format: formatPercent },
              { id: "startup-avg", label: "Startup, average", value: stats.startupMsAvg ?? 0, format: () => formatMs(stats.startupMsAvg) },
              { id: "startup-p95", label: "Startup, p95", value: stats.startupMsP95 ?? 0, format: () => formatMs(stats.startupMsP95) },
            ]}
          />
          <p className="muted small">
            All-time figures, last calculated {formatDateTime(stats.lastCalculatedAt)}.
            {stats.bunnyWatchSeconds !== null && ` Watch time includes Bunny Stream's own figure (${formatHours(stats.bunnyWatchSeconds)}).`}
          </p>
        </>
      )}

      <div className="chart-grid">
        <section className="card wide" aria-label="Concurrent viewers over time">
          <h2>Concurrent viewers</h2>
          {concurrency.points.length ? <ConcurrencyChart points={concurrency.points} bucketMinutes={concurrency.bucketMinutes} /> : <EmptyState>No viewers yet.</EmptyState>}
        </section>
        <section className="card wide" aria-label="Daily viewers and watch time">
          <h2>Viewers and watch time per day</h2>
          {daily.length ? <DailyViewersChart data={daily} height={240} /> : <EmptyState>No daily figures yet.</EmptyState>}
        </section>
        <section className="card" aria-label="Countries">
          <h2>Countries</h2>
          {countries.length ? (
            <>
              <CountriesChart countries={countries} />
              <ul className="sr-only">
                {countries.map((c) => (
                  <li key={c.country}>
                    {countryName(c.country)}: {c.sessions} views
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <EmptyState>No views yet.</EmptyState>
          )}
        </section>
        <section className="card" aria-label="Devices">
          <h2>Devices</h2>
          {devices.some((d) => d.sessions > 0) ? <DevicesChart devices={devices} /> : <EmptyState>No views yet.</EmptyState>}
        </section>
        <section className="card wide" aria-label="Playback quality over time">
          <h2>Buffering and errors {quality.unit === "hour" ? "per hour" : "per day"}</h2>
          {quality.points.length ? <QualityChart points={quality.points} unit={quality.unit} /> : <EmptyState>No views yet.</EmptyState>}
        </section>
      </div>

      {/* Bunny Stream's own statistics and sync, for Bunny streams only (the Bunny engineer's block). */}
      {stream.isBunny && (
        <section className="section" aria-label="Bunny Stream statistics">
          <BunnyStatsBlock streamId={stream.id} />
        </section>
      )}
    </>
  );
}
