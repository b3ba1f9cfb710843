import type { Metadata } from "next";
import Link from "next/link";
import { JOB_NAMES, JOB_STATUSES, type JobName, type JobStatus } from "~/contract";
import { figureTexts } from "~/lib/format";
import { requireAdminPage } from "~/server/auth";
import { serverApi } from "~/trpc/server";

export const metadata: Metadata = { title: "Job runs" };
export const dynamic = "force-dynamic";

const fmt = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—");

function duration(run: { startedAt: Date; finishedAt: Date | null }): string {
  if (!run.finishedAt) return "running";
  const ms = run.finishedAt.getTime() - run.startedAt.getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function StatusPill({ status }: { status: JobStatus | null }) {
  if (!status) return <span className="muted">never run</span>;
  return <span className={`badge job-${status}`}>{status}</span>;
}

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("/admin/jobs");
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || null;
  const jobParam = one(sp.job);
  const statusParam = one(sp.status);
  const job = jobParam && (JOB_NAMES as readonly string[]).includes(jobParam) ? (jobParam as JobName) : null;
  const status = statusParam && (JOB_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as JobStatus) : null;
  const api = await serverApi();
  const [summaries, runs] = await Promise.all([api.jobs.summaries(), api.jobs.runs({ job, status, limit: 100 })]);
  const bad = (jobParam && !job) || (statusParam && !status);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Job runs</h1>
          <p className="muted">
            Scheduled jobs (Vercel Cron or <code>npm run worker</code>) and manual runs, newest first. Times in UTC.
          </p>
        </div>
      </div>

      <ul className="kpi-grid bare-list" data-testid="job-summaries">
        {summaries.map((s) => (
          <li key={s.name} className="card kpi" data-job={s.name}>
            <div className="kpi-label">
              <Link href={`/admin/jobs?job=${s.name}`}>{s.name}</Link>
            </div>
            <div className="job-status">
              <StatusPill status={s.lastStatus} />
            </div>
            <div className="small muted">last run {fmt(s.lastRunAt)}</div>
            <div className="small muted">last success {fmt(s.lastSuccessAt)}</div>
            <div className={`small ${s.failures24h ? "job-failed-text" : "muted"}`}>
              {s.failures24h} failed of {s.runs24h} in 24 h
            </div>
          </li>
        ))}
      </ul>

      <form className="filters" method="get" action="/admin/jobs">
        <label>
          Job
          <select name="job" defaultValue={job ?? ""}>
            <option value="">all jobs</option>
            {JOB_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="status" defaultValue={status ?? ""}>
            <option value="">any outcome</option>
            {JOB_STATUSES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
        {(job || status) && <Link href="/admin/jobs">Clear</Link>}
      </form>
      {bad && (
        <p className="error-box" role="alert">
          Unknown filter ignored: job must be one of {JOB_NAMES.join(", ")}; outcome one of {JOB_STATUSES.join(", ")}.
        </p>
      )}

      <section className="section">
        {runs.length === 0 ? (
          <p className="muted" data-testid="no-runs">
            No job runs{job || status ? " match these filters" : " yet"}.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="jobs-table" data-testid="job-runs">
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Outcome</th>
                  <th>Started</th>
                  <th className="num">Took</th>
                  <th>Trigger</th>
                  <th>Figures / error</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-status={r.status} data-job={r.name}>
                    <td>{r.name}</td>
                    <td>
                      <StatusPill status={r.status} />
                    </td>
                    <td className="nowrap">{fmt(r.startedAt)}</td>
                    <td className="num">{duration(r)}</td>
                    <td>{r.trigger}</td>
                    <td>
                      {r.error && <div className="job-failed-text">{r.error}</div>}
                      <pre className="job-figures">{figureTexts(r.figures).join("\n") || "—"}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
