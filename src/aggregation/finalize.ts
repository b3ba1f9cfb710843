// Finalizing sessions: a session silent for 30 min is closed with its final figures. Ingestion
// continues the spec's state walk batch by batch from each session's stored state; while every
// batch's events came strictly after the session's last stored event, that continued walk IS the
// walk over all its events, and ingestion leaves needs_rewalk = false. Such sessions are closed by
// one set-based UPDATE that reads no events ("kept"). A session that got events out of order (a
// late retry, equal timestamps) has needs_rewalk = true, or was written by something other than
// ingestion (the column's default): its final figures are recomputed from ALL its events ("walked",
// WALK_SQL), and it is re-split: a session with a gap of 30 min or more between its events (rows
// written by anything but ingestion) becomes one session per run of events (metrics.md
// "Sessions"), the later ones as new rows that keep its country and device. Ingestion never leaves
// such a gap: it opens a new session there, and an event it adds to a session lies within 30 min
// of it; what arrival order gets wrong, re-sessionizing (resessionize.ts) corrects before this.
//
// `rewalk` (npm run jobs:aggregate -- --rewalk) walks every candidate whatever its flag; with `all`
// (-- --full --rewalk) every closed session is a candidate, finalized ones included: after a change
// to the walk rules, or to verify the kept figures.
import type pg from "pg";
import { SESSION_GAP_MS } from "~/contract";
import { rollback, withTransaction } from "~/lib/db/transaction";
import { sessionFigures, splitSessions } from "~/sessions/walk";
import { chunk, forEachParallel } from "./parallel";
import { finalizeBatchFigures, keepSessions } from "./queries/finalizeBatch";
import { moveSessionEvents, sessionEvents, type StoredEvent } from "./queries/sessionEvents";

/** A session is final once its last event is this old (the session gap of metrics.md). */
export const FINALIZE_AFTER_MS = SESSION_GAP_MS;

export interface FinalizeOptions {
  /** Sessions whose last event is before this are finalized. */
  cutoff: Date;
  /** Only these streams' sessions (tests, the demo seed); all streams when null. */
  streamIds?: string[] | null;
  /** The previous run's watermark: finalized sessions that ingestion touched since are redone. */
  since?: Date | null;
  /** Sessions per statement. */
  batchSize?: number;
  /** Statements at once, on as many connections (PostgreSQL runs each on one core). */
  concurrency?: number;
  /** Walk every candidate from its events, even those whose stored walk is exact (needs_rewalk false). */
  rewalk?: boolean;
  /** Every session whose last event is before the cutoff is a candidate, finalized ones included. */
  all?: boolean;
  progress?: (message: string) => void;
}

export interface FinalizeResult {
  /** Sessions given final figures: walked + kept. */
  sessions: number;
  /** Sessions whose figures were recomputed from their events (including those created by splits). */
  walked: number;
  /** Sessions closed with the figures ingestion's exact walk left (no event read). */
  kept: number;
  /** Events walked. */
  events: number;
  /** New sessions created by splitting sessions at gaps of 30 min or more. */
  splits: number;
}

interface Candidate {
  id: string;
  updated_at: Date;
  needs_rewalk: boolean;
}

const noResult = (): FinalizeResult => ({ sessions: 0, walked: 0, kept: 0, events: 0, splits: 0 });

export async function finalizeSessions(pool: pg.Pool, opts: FinalizeOptions): Promise<FinalizeResult> {
  const batchSize = opts.batchSize ?? 25_000;
  const concurrency = opts.concurrency ?? 2;
  const scope = opts.streamIds ?? null;
  const total = noResult();
  const report = () =>
    opts.progress?.(`finalize: ${total.walked} sessions walked (${total.events} events), ${total.kept} kept as ingestion walked them`);
  const run = async (candidates: Candidate[]) => {
    const toWalk = opts.rewalk ? candidates : candidates.filter((c) => c.needs_rewalk);
    const toKeep = opts.rewalk ? [] : candidates.filter((c) => !c.needs_rewalk);
    if (toKeep.length) {
      const kept = await keepSessions(pool, toKeep);
      total.kept += kept;
      total.sessions += kept;
      report();
    }
    await forEachParallel(chunk(toWalk, batchSize, concurrency), concurrency, async (batch) => {
      const r = await finalizeBatch(pool, batch);
      total.sessions += r.sessions;
      total.walked += r.walked;
      total.events += r.events;
      total.splits += r.splits;
      report();
    });
  };

  // Keyset pages over open sessions (with `all`, over every session), oldest end first; a session
  // skipped because ingestion changed it meanwhile is not revisited in this run (the next run sees it).
  const pageSize = batchSize * concurrency * 4;
  let after: { endedAt: Date; id: string } | null = null;
  for (;;) {
    const res: pg.QueryResult<Candidate & { ended_at: Date }> = await pool.query(
      `SELECT id, updated_at, needs_rewalk, ended_at FROM viewer_sessions
       WHERE ($6 OR finalized_at IS NULL) AND ended_at < $1
         AND ($2::text[] IS NULL OR stream_id = ANY($2::text[]))
         AND ($3::timestamptz IS NULL OR (ended_at, id) > ($3::timestamptz, $4::uuid))
       ORDER BY ended_at, id
       LIMIT $5`,
      [opts.cutoff, scope, after?.endedAt ?? null, after?.id ?? null, pageSize, opts.all ?? false],
    );
    const rows = res.rows;
    if (!rows.length) break;
    await run(rows);
    const last: { id: string; ended_at: Date } = rows[rows.length - 1]!;
    after = { endedAt: last.ended_at, id: last.id };
    if (rows.length < pageSize) break;
  }

  // Sessions finalized earlier that got events since (a late retry): finalize them again, by the
  // same rule (events after the last one keep the walk exact; anything out of order flags it).
  if (opts.since && !opts.all) {
    const { rows } = await pool.query<Candidate>(
      `SELECT id, updated_at, needs_rewalk FROM viewer_sessions
       WHERE updated_at > $1 AND finalized_at IS NOT NULL AND updated_at > finalized_at AND ended_at < $2
         AND ($3::text[] IS NULL OR stream_id = ANY($3::text[]))`,
      [opts.since, opts.cutoff, scope],
    );
    await run(rows);
  }
  return total;
}

/** One statement finalizes the batch (queries/finalizeBatch.ts); sessions that need a split go through splitSession. */
async function finalizeBatch(pool: pg.Pool, candidates: Candidate[]): Promise<FinalizeResult> {
  const r = await finalizeBatchFigures(pool, candidates);
  const result: FinalizeResult = { ...noResult(), sessions: r.finalized, walked: r.finalized, events: Number(r.events) };
  if (r.split_ids?.length) {
    const seenById = new Map(candidates.map((c) => [c.id, c.updated_at]));
    for (const id of r.split_ids) {
      const s = await splitSession(pool, id, seenById.get(id)!);
      result.sessions += s.sessions;
      result.walked += s.walked;
      result.events += s.events;
      result.splits += s.splits;
    }
  }
  return result;
}

type SplitEvent = StoredEvent;

/** Splits one session at its gaps of 30 min or more and finalizes every part (one transaction). */
export async function splitSession(pool: pg.Pool, sessionId: string, seen: Date): Promise<FinalizeResult> {
  const split = await withTransaction(pool, async (client) => {
    const s = await client.query<{ updated_at: Date }>("SELECT updated_at FROM viewer_sessions WHERE id = $1 FOR UPDATE", [sessionId]);
    if (!s.rows[0] || s.rows[0].updated_at.getTime() !== seen.getTime()) return rollback(null);
    const ev = { rows: await sessionEvents(client, sessionId) };
    const runs = splitSessions<SplitEvent>(ev.rows);
    // ClickHouse has no transaction to join: its events move once PostgreSQL has committed.
    const moves: { to: string; events: SplitEvent[] }[] = [];
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const f = sessionFigures(run);
      const figures = [new Date(f.startedAt), new Date(f.endedAt), f.eventCount, f.watchSeconds, f.bufferSeconds, f.hasError, f.startupMs, f.lastState, f.sawPlay];
      if (i === 0) {
        await client.query(
          `UPDATE viewer_sessions SET started_at = $2, ended_at = $3, event_count = $4, watch_seconds = $5,
             buffer_seconds = $6, has_error = $7, startup_ms = $8, last_state = $9, saw_play = $10, needs_rewalk = false,
             finalized_at = now(), updated_at = now()
           WHERE id = $1`,
          [sessionId, ...figures],
        );
      } else {
        const created = await client.query<{ id: string }>(
          `INSERT INTO viewer_sessions (stream_id, client_id, country, device_class, browser, os, started_at, ended_at,
             event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, finalized_at, updated_at)
           SELECT stream_id, client_id, country, device_class, browser, os, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, now(), now()
           FROM viewer_sessions WHERE id = $1
           RETURNING id`,
          [sessionId, ...figures],
        );
        moves.push({ to: created.rows[0]!.id, events: run });
      }
    }
    await moveSessionEvents(client, sessionId, moves, "in-transaction");
    const result: FinalizeResult = { sessions: runs.length, walked: runs.length, kept: 0, events: ev.rows.length, splits: Math.max(0, runs.length - 1) };
    return { moves, result };
  });
  if (!split) return noResult();
  await moveSessionEvents(pool, sessionId, split.moves, "after-commit");
  return split.result;
}
