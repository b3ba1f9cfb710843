// Recent job runs for /admin/jobs: the latest runs (optionally of one job / one outcome) and, per
// job, its last run, last success and the failures of the last 24 h.
import { JOB_NAMES, type JobStatus } from "~/contract";
import { getPool } from "~/lib/db/pool";

export interface JobRunRow {
  id: string;
  name: string;
  trigger: string;
  status: JobStatus;
  startedAt: Date;
  finishedAt: Date | null;
  figures: Record<string, unknown>;
  error: string | null;
}

export interface JobSummary {
  name: string;
  lastRunAt: Date | null;
  lastStatus: JobStatus | null;
  lastSuccessAt: Date | null;
  failures24h: number;
  runs24h: number;
}

export async function recentJobRuns(opts: { name?: string | null; status?: JobStatus | null; limit?: number } = {}): Promise<JobRunRow[]> {
  const limit = Math.min(500, Math.max(1, opts.limit ?? 100));
  const { rows } = await getPool().query<{
    id: string;
    name: string;
    trigger: string;
    status: JobStatus;
    started_at: Date;
    finished_at: Date | null;
    figures: Record<string, unknown>;
    error: string | null;
  }>(
    `SELECT id, name, trigger, status::text AS status, started_at, finished_at, figures, error
       FROM job_runs
      WHERE ($1::text IS NULL OR name = $1) AND ($2::text IS NULL OR status::text = $2)
      ORDER BY started_at DESC, id
      LIMIT $3`,
    [opts.name ?? null, opts.status ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    figures: r.figures ?? {},
    error: r.error,
  }));
}

export async function jobSummaries(now = new Date()): Promise<JobSummary[]> {
  const { rows } = await getPool().query<{
    name: string;
    last_run_at: Date | null;
    last_status: JobStatus | null;
    last_success_at: Date | null;
    failures_24h: number;
    runs_24h: number;
  }>(
    `SELECT n.name,
            l.started_at AS last_run_at, l.status::text AS last_status,
            (SELECT max(finished_at) FROM job_runs s WHERE s.name = n.name AND s.status = 'succeeded') AS last_success_at,
            (SELECT count(*)::int FROM job_runs f WHERE f.name = n.name AND f.status = 'failed' AND f.started_at > $2::timestamptz - interval '24 hours') AS failures_24h,
            (SELECT count(*)::int FROM job_runs f WHERE f.name = n.name AND f.started_at > $2::timestamptz - interval '24 hours') AS runs_24h
       FROM unnest($1::text[]) AS n(name)
       LEFT JOIN LATERAL (SELECT started_at, status FROM job_runs j WHERE j.name = n.name ORDER BY started_at DESC LIMIT 1) l ON true
      ORDER BY array_position($1::text[], n.name)`,
    [[...JOB_NAMES], now],
  );
  return rows.map((r) => ({
    name: r.name,
    lastRunAt: r.last_run_at,
    lastStatus: r.last_status,
    lastSuccessAt: r.last_success_at,
    failures24h: r.failures_24h,
    runs24h: r.runs_24h,
  }));
}
