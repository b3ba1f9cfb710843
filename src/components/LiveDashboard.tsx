"use client";
// /admin/analytics/live: the streams on air and their current viewers, polled every 10 s.
import Link from "next/link";
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTime, formatInt } from "~/lib/format";
import { api } from "~/trpc/react";
import { EmptyState, ErrorState, LoadingBlock } from "./QueryState";

const LIVE_POLL_MS = 10_000;

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
const hhmm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

function Sparkline({ points }: { points: { t: Date; viewers: number }[] }) {
  if (points.length < 2) return <p className="muted small">The per-minute history appears after the next aggregation run.</p>;
  const rows = points.map((p) => ({ t: p.t.getTime(), viewers: p.viewers }));
  return (
    <div className="sparkline" aria-label="Concurrent viewers, last hour">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={rows} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} hide />
          <YAxis hide allowDecimals={false} />
          <Tooltip labelFormatter={(t) => `${hhmm.format(new Date(Number(t)))} UTC`} formatter={(v) => [formatInt(Number(v)), "Viewers"]} />
          <Area dataKey="viewers" stroke="#d62828" fill="#d62828" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

export function LiveDashboard() {
  const live = api.analytics.live.useQuery(undefined, { refetchInterval: LIVE_POLL_MS, staleTime: 0 });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Live now</h1>
          <p className="muted">
            Current viewers = sessions with an event in the last {live.data?.windowSeconds ?? 60} s. Refreshed every {LIVE_POLL_MS / 1000} s
            {live.data && (
              <span data-testid="live-updated">
                {" "}
                · updated {clock.format(live.data.asOf)} UTC
              </span>
            )}
            {live.isFetching && !live.isPending && " · refreshing…"}
          </p>
        </div>
        {live.data && (
          <div className="card kpi live-total" data-testid="live-total">
            <div className="kpi-label">Watching now</div>
            <div className="kpi-value">{formatInt(live.data.totalCurrentViewers)}</div>
          </div>
        )}
      </div>
      {live.isPending ? (
        <LoadingBlock label="Loading live streams…" />
      ) : live.isError && !live.data ? (
        <ErrorState error={live.error} onRetry={() => void live.refetch()} title="Could not load the live streams" />
      ) : live.data ? (
        <>
          {live.isError && <ErrorState error={live.error} onRetry={() => void live.refetch()} title="The last refresh failed; these figures may be old" />}
          {live.data.streams.length === 0 ? (
            <EmptyState>No stream is live right now.</EmptyState>
          ) : (
            <ul className="grid live-grid" data-testid="live-streams">
              {live.data.streams.map((s) => (
                <li key={s.id} className="card live-card" data-stream-id={s.id}>
                  <div className="live-card-head">
                    <span className="badge badge-live">● live</span>
                    <span className="muted small">{s.provider === "bunny_stream" ? "Bunny Stream" : s.provider === "youtube" ? "YouTube" : "no player"}</span>
                  </div>
                  <h3>
                    <Link href={`/admin/analytics/streams/${encodeURIComponent(s.id)}`}>{s.title}</Link>
                  </h3>
                  <p className="muted small">
                    {s.organizer.name} · {s.startedAt ? `since ${formatDateTime(s.startedAt)}` : "start time unknown"}
                  </p>
                  <div className="live-figures">
                    <div>
                      <div className="live-now" data-testid="current-viewers">
                        {formatInt(s.currentViewers)}
                      </div>
                      <div className="muted small">watching now</div>
                    </div>
                    <div>
                      <div className="live-sub">{formatInt(s.sessionsLastHour)}</div>
                      <div className="muted small">views, last hour</div>
                    </div>
                    <div>
                      <div className="live-sub">{formatInt(s.peakConcurrent)}</div>
                      <div className="muted small">peak so far</div>
                    </div>
                  </div>
                  <Sparkline points={s.lastHour} />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </>
  );
}
