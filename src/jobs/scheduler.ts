// The in-process scheduler's rules, shared by `npm start`, `npm run demo` and `npm run worker`:
// which schedule each job follows (vercel.json's `crons`, the aggregation's period overridable by
// AGGREGATE_EVERY), one run per tick however many processes schedule (claimTick), and whether any
// scheduler has run lately (for the admin pages' notice).
import { Cron } from "croner";
import type pg from "pg";
import { getPool } from "~/lib/db/pool";
// Bundled, not read at run time: on Vercel the file is not beside the functions.
import vercelConfig from "../../vercel.json";

export interface CronEntry {
  path: string;
  schedule: string;
}

export const AGGREGATE_PATH = "/api/cron/aggregate";

/** The `crons` of a parsed vercel.json, checked; `file` names it in errors. */
export function parseCrons(parsed: unknown, file: string): CronEntry[] {
  const crons = (parsed as { crons?: unknown } | null)?.crons;
  if (!Array.isArray(crons)) throw new Error(`${file} has no "crons" array`);
  return crons.map((c, i) => {
    const { path, schedule } = (c ?? {}) as { path?: unknown; schedule?: unknown };
    if (typeof path !== "string" || typeof schedule !== "string") {
      throw new Error(`${file}: crons[${i}] needs a string "path" and "schedule"`);
    }
    return { path, schedule };
  });
}

/** The aggregation's schedule: every `aggregateEvery` when set, else vercel.json's. */
export function aggregateSchedule(aggregateEvery?: string): string {
  if (aggregateEvery) return everyToCron(aggregateEvery);
  const entry = parseCrons(vercelConfig, "vercel.json").find((c) => c.path === AGGREGATE_PATH);
  if (!entry) throw new Error(`vercel.json has no cron for ${AGGREGATE_PATH}`);
  return entry.schedule;
}

const EVERY_RE = /^([1-9]\d*)(s|m|h)$/;

/** A period such as `20s`, `5m` or `1h` as a croner pattern (6 fields, seconds first), in step with the clock. */
export function everyToCron(every: string): string {
  const m = EVERY_RE.exec(every.trim());
  if (!m) throw new Error(`"${every}" is not a period like 30s, 5m or 1h`);
  const n = Number(m[1]);
  const unit = m[2]!;
  const max = unit === "h" ? 24 : 60;
  // Steps that divide the unit keep every tick the same distance apart (a */7 minute has a 4-minute gap at the hour).
  if (max % n !== 0) throw new Error(`"${every}": the number must divide ${max} (e.g. ${unit === "h" ? "1h, 2h, 6h" : `10${unit}, 15${unit}, 30${unit}`})`);
  if (unit === "s") return `*/${n} * * * * *`;
  if (unit === "m") return `0 */${n} * * * *`;
  return `0 0 */${n} * * *`;
}

/** `crons` with the aggregation's schedule replaced by `aggregateEvery` when given. */
export function scheduledCrons(crons: CronEntry[], opts: { aggregateEvery?: string }): CronEntry[] {
  if (!opts.aggregateEvery) return crons;
  const schedule = everyToCron(opts.aggregateEvery);
  return crons.map((c) => (c.path === AGGREGATE_PATH ? { ...c, schedule } : c));
}

/** The shortest gap between two ticks of `pattern` over its next few runs, in ms. */
export function periodMs(pattern: string): number {
  const runs = new Cron(pattern, { timezone: "UTC", paused: true }).nextRuns(4);
  let gap = Infinity;
  for (let i = 1; i < runs.length; i++) gap = Math.min(gap, runs[i]!.getTime() - runs[i - 1]!.getTime());
  return gap;
}

/** The scheduled time of the tick firing now (croner calls back at, or a hair around, that second). */
export function tickTime(cron: Cron, now = Date.now()): Date {
  return cron.previousRuns(1, new Date(now + 500))[0] ?? new Date(Math.floor(now / 1000) * 1000);
}

/**
 * Claims `tick` of `job` for `holder`: true for exactly one of any number of schedulers firing on
 * the same tick (the claim moves the row's tick forward; a concurrent claim waits for that row and
 * then finds it no longer earlier), false for the others and for a tick already run.
 */
export async function claimTick(db: Pick<pg.Pool, "query">, job: string, tick: Date, holder: string): Promise<boolean> {
  const { rows } = await db.query<{ claimed_by: string }>(
    `INSERT INTO scheduler_ticks AS t (job, tick, claimed_by, claimed_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (job) DO UPDATE SET tick = EXCLUDED.tick, claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at
       WHERE t.tick < EXCLUDED.tick
     RETURNING claimed_by`,
    [job, tick, holder],
  );
  return rows[0]?.claimed_by === holder;
}

/** Row of scheduler_ticks that says when a scheduler last started (no job has this name). */
export const SCHEDULER_STARTED = "(scheduler started)";

/** A scheduler starting says so: the admin pages then wait a period for its first tick before warning. */
export async function markSchedulerStarted(db: Pick<pg.Pool, "query">, holder: string): Promise<void> {
  await db.query(
    `INSERT INTO scheduler_ticks (job, tick, claimed_by, claimed_at) VALUES ($1, now(), $2, now())
     ON CONFLICT (job) DO UPDATE SET tick = EXCLUDED.tick, claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at`,
    [SCHEDULER_STARTED, holder],
  );
}

export interface SchedulerStatus {
  /** When a scheduler (this app's, `npm run worker` or Vercel Cron) last started, claimed a tick or ran a job. */
  lastSeenAt: Date | null;
  /** How long without any of that before the admin pages say so. */
  staleAfterMs: number;
  stale: boolean;
}

/**
 * Whether scheduled jobs run: the aggregation ticks every period, so no sign of a scheduler for
 * two periods (and a minute of slack) means none is running and new viewing will not reach the
 * dashboards.
 */
export async function schedulerStatus(aggregateSchedule: string, now = new Date(), db: Pick<pg.Pool, "query"> = getPool()): Promise<SchedulerStatus> {
  const staleAfterMs = 2 * periodMs(aggregateSchedule) + 60_000;
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT greatest(
              (SELECT max(claimed_at) FROM scheduler_ticks),
              (SELECT max(started_at) FROM job_runs WHERE trigger IN ('worker', 'scheduler', 'cron'))
            ) AS at`,
  );
  const at = rows[0]?.at ?? null;
  return { lastSeenAt: at, staleAfterMs, stale: !at || now.getTime() - at.getTime() > staleAfterMs };
}
