"use client";
// Bunny Stream's own statistics for one stream, beside ours: per day views and watch time, its
// countries and engagement score, both watch totals and the merged one, when it was last synced,
// and a "Sync now" button (admins) that says why it is disabled when Bunny is not configured.
// Placed on the admin stream page for Bunny streams only.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTime, formatDuration, formatHours, formatInt } from "~/lib/format";
import { api } from "~/trpc/react";

const one = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

const fmtCount = (n: number | null | undefined) => (n === null || n === undefined ? "—" : formatInt(n));
const fmtWatch = (s: number | null | undefined) => (s === null || s === undefined ? "—" : formatDuration(s));
const fmtHours = (s: number | null | undefined) => (s === null || s === undefined ? "—" : formatHours(s));
const fmtWhen = (d: Date | null | undefined) => (d ? formatDateTime(new Date(d)) : "never");

export function BunnyStatsBlock({ streamId }: { streamId: string }) {
  const utils = api.useUtils();
  const report = api.bunny.forStream.useQuery({ streamId });
  const sync = api.bunny.sync.useMutation({
    // The page's own figures change too (total watch time = max of ours and Bunny's).
    onSettled: () => Promise.all([utils.bunny.forStream.invalidate({ streamId }), utils.analytics.invalidate()]),
  });

  if (report.isPending) {
    return (
      <section className="card" data-testid="bunny-stats" aria-busy="true">
        <h2 className="bunny-title">Bunny Stream</h2>
        <p className="muted">Loading Bunny statistics…</p>
      </section>
    );
  }
  if (report.isError) {
    return (
      <section className="card" data-testid="bunny-stats">
        <h2 className="bunny-title">Bunny Stream</h2>
        <p className="error-box" role="alert">Bunny statistics could not be loaded: {report.error.message}</p>
      </section>
    );
  }
  const r = report.data;
  if (!r.isBunny) return null;

  const chartData = r.days.map((d) => ({
    day: d.day.slice(5),
    bunny: d.bunnyWatchSeconds === null ? null : Math.round((d.bunnyWatchSeconds / 3600) * 10) / 10,
    ours: d.ownWatchSeconds === null ? null : Math.round((d.ownWatchSeconds / 3600) * 10) / 10,
  }));
  const syncResult = sync.data;

  return (
    <section className="card" data-testid="bunny-stats" aria-labelledby="bunny-stats-title">
      <div className="bunny-head">
        <div>
          <h2 id="bunny-stats-title" className="bunny-title">
            Bunny Stream
          </h2>
          <p className="muted">
            Bunny&apos;s own statistics for video <code>{r.videoGuid ?? "—"}</code>
            {r.libraryId ? (
              <>
                {" "}
                in library <code>{r.libraryId}</code>
              </>
            ) : null}
            , beside ours.
          </p>
        </div>
        <div className="bunny-actions">
          <button
            type="button"
            className="bunny-sync"
            onClick={() => sync.mutate({ streamId })}
            disabled={!r.canSync || sync.isPending}
            aria-describedby={r.canSync ? undefined : "bunny-sync-disabled"}
            title={r.syncBlockedReason ?? undefined}
          >
            {sync.isPending ? "Syncing…" : "Sync now"}
          </button>
        </div>
      </div>

      {!r.canSync && r.syncBlockedReason ? (
        <p id="bunny-sync-disabled" className="bunny-note" data-testid="bunny-sync-disabled">
          Sync now is disabled: {r.syncBlockedReason}.
        </p>
      ) : null}
      {sync.isError ? (
        <p className="error-box" role="alert">
          Sync failed: {sync.error.message}
        </p>
      ) : null}
      {syncResult ? (
        <p role="status" className={syncResult.status === "failed" || syncResult.failures.length ? "error-box" : "bunny-ok"}>
          {syncResult.status === "failed" || syncResult.failures.length
            ? `Sync failed: ${syncResult.error ?? "unknown error"}`
            : `Synced ${syncResult.days} day(s) from Bunny in ${one.format(syncResult.durationMs / 1000)} s.`}
        </p>
      ) : null}

      <p className="muted" data-testid="bunny-last-sync">
        Last sync: {r.lastRun ? `${fmtWhen(r.lastRun.at)} (${r.lastRun.status})` : "never"}
        {r.lastRun?.status === "failed" && r.lastRun.error ? ` — ${r.lastRun.error}` : ""}
        {r.dataFrom && r.dataTo ? ` · Bunny figures for ${r.dataFrom} to ${r.dataTo}, last changed ${fmtWhen(r.lastChangedAt)}` : ""}
      </p>

      <dl className="bunny-figures">
        <div>
          <dt>Bunny views</dt>
          <dd data-testid="bunny-total-views">{fmtCount(r.totals.bunnyViews)}</dd>
        </div>
        <div>
          <dt>Bunny watch time</dt>
          <dd data-testid="bunny-total-watch">{fmtHours(r.totals.bunnyWatchSeconds)}</dd>
        </div>
        <div>
          <dt>Our watch time</dt>
          <dd data-testid="own-total-watch">{fmtHours(r.totals.ownWatchSeconds)}</dd>
        </div>
        <div>
          <dt title="The larger of ours and Bunny's, once Bunny is synced">Total watch time</dt>
          <dd data-testid="merged-total-watch">{fmtHours(r.totals.totalWatchSeconds)}</dd>
        </div>
        <div>
          <dt title="Bunny's engagement score, views-weighted over the synced days">Engagement score</dt>
          <dd data-testid="bunny-engagement">{r.engagementScore === null ? "—" : one.format(r.engagementScore)}</dd>
        </div>
      </dl>

      {r.dataFrom === null ? (
        <p className="muted" data-testid="bunny-empty">
          No Bunny statistics yet.{r.canSync ? " Sync now fetches the last 30 days." : ""}
        </p>
      ) : (
        <>
          <h3 className="bunny-subtitle">Watch hours per day</h3>
          <div className="bunny-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" fontSize={11} />
                <YAxis fontSize={11} />
                <Tooltip formatter={(v) => `${v} h`} />
                <Legend />
                <Bar dataKey="bunny" name="Bunny" fill="#f28c28" isAnimationActive={false} />
                <Bar dataKey="ours" name="Ours" fill="#2f6fde" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <div className="bunny-tables">
            <div className="bunny-scroll">
            <table className="bunny-table" data-testid="bunny-days">
              <caption>Per day (UTC)</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Bunny views</th>
                  <th scope="col">Bunny watch</th>
                  <th scope="col">Our sessions</th>
                  <th scope="col">Our watch</th>
                </tr>
              </thead>
              <tbody>
                {[...r.days].reverse().map((d) => (
                  <tr key={d.day} data-day={d.day}>
                    <th scope="row">{d.day}</th>
                    <td>{fmtCount(d.bunnyViews)}</td>
                    <td>{fmtWatch(d.bunnyWatchSeconds)}</td>
                    <td>{fmtCount(d.ownSessions)}</td>
                    <td>{fmtWatch(d.ownWatchSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
            <table className="bunny-table" data-testid="bunny-countries">
              <caption>Bunny&apos;s countries</caption>
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col">Views</th>
                  <th scope="col">Watch</th>
                </tr>
              </thead>
              <tbody>
                {r.countries.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      None reported
                    </td>
                  </tr>
                ) : (
                  r.countries.slice(0, 15).map((c) => (
                    <tr key={c.country}>
                      <th scope="row">{c.country === "ZZ" ? "Unknown" : c.country}</th>
                      <td>{fmtCount(c.views)}</td>
                      <td>{fmtWatch(c.watchSeconds)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
