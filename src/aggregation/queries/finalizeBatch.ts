// Finalizing a batch of sessions (src/aggregation/finalize.ts): walk each session's events, then
// write the final figures of those that ingestion has not touched since they were listed.
// PostgreSQL: one statement, the walk (WALK_SQL) feeding the UPDATE. ClickHouse: the walk runs in
// ClickHouse (walkClickHouse.ts), its figures feed the same UPDATE through unnest.
// Sessions whose stored walk is exact (needs_rewalk false) are closed by keepSessions, which reads
// no events: the same PostgreSQL statement whichever store holds them.
import type pg from "pg";
import { runQuery } from "~/lib/db/runQuery";
import { SESSION_GAP_MS } from "~/contract";
import { SET_WALKED_FIGURES, WALK_SQL } from "../walkSql";
import { walkSessionsClickHouse } from "./walkClickHouse";

export interface FinalizeCandidate {
  id: string;
  updated_at: Date;
}

export interface FinalizeBatchFigures {
  finalized: number;
  events: number | string;
  /** Sessions with a gap of 30 min or more: they must be split. */
  split_ids: string[] | null;
}

// Everything after the `walked` CTE; $1 ids, $2 the updated_at each was listed with, $3 the gap.
const FINALIZE_SQL = `
     c AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, seen)),
     -- updated_at = seen: a session ingestion changed since we listed it is left for the next run.
     done AS (
       UPDATE viewer_sessions v
       SET ${SET_WALKED_FIGURES}, finalized_at = now(), updated_at = now()
       FROM walked w JOIN c ON c.id = w.session_id
       WHERE v.id = w.session_id AND v.updated_at = c.seen AND w.max_gap_ms < $3
       RETURNING w.event_count
     ),
     -- Sessions whose events are gone (retention) keep the figures they have.
     empty AS (
       UPDATE viewer_sessions v SET finalized_at = now(), updated_at = now()
       FROM c LEFT JOIN walked w ON w.session_id = c.id
       WHERE v.id = c.id AND v.updated_at = c.seen AND w.session_id IS NULL
       RETURNING v.id
     )
     SELECT (SELECT count(*) FROM done)::int + (SELECT count(*) FROM empty)::int AS finalized,
            (SELECT coalesce(sum(event_count), 0) FROM done)::bigint AS events,
            (SELECT array_agg(session_id) FROM walked WHERE max_gap_ms >= $3) AS split_ids`;

/**
 * Closes sessions with the figures they have: one UPDATE, no event read. Only those still as
 * listed (updated_at = seen) and still exact: a batch that ingestion wrote meanwhile is left for
 * the next run, whether it kept the walk exact or flagged it. Returns how many were closed.
 */
export async function keepSessions(pool: pg.Pool, candidates: FinalizeCandidate[]): Promise<number> {
  if (!candidates.length) return 0;
  const { rowCount } = await pool.query(
    `UPDATE viewer_sessions v SET finalized_at = now(), updated_at = now()
     FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, seen)
     WHERE v.id = c.id AND v.updated_at = c.seen AND NOT v.needs_rewalk`,
    [candidates.map((c) => c.id), candidates.map((c) => c.updated_at)],
  );
  return rowCount ?? 0;
}

export function finalizeBatchFigures(pool: pg.Pool, candidates: FinalizeCandidate[]): Promise<FinalizeBatchFigures> {
  return runQuery({
    postgres: () => finalizePostgres(pool, candidates),
    clickhouse: () => finalizeClickHouse(pool, candidates),
  });
}

async function finalizePostgres(pool: pg.Pool, candidates: FinalizeCandidate[]): Promise<FinalizeBatchFigures> {
  const { rows } = await pool.query<FinalizeBatchFigures>(`WITH ${WALK_SQL}, ${FINALIZE_SQL}`, [
    candidates.map((c) => c.id),
    candidates.map((c) => c.updated_at),
    SESSION_GAP_MS,
  ]);
  return rows[0]!;
}

async function finalizeClickHouse(pool: pg.Pool, candidates: FinalizeCandidate[]): Promise<FinalizeBatchFigures> {
  const ids = candidates.map((c) => c.id);
  const { rows: refs } = await pool.query<{ id: string; stream_id: string; client_id: string }>(
    "SELECT id::text, stream_id, client_id FROM viewer_sessions WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const walked = await walkSessionsClickHouse(refs.map((r) => ({ id: r.id, streamId: r.stream_id, clientId: r.client_id })));
  const { rows } = await pool.query<FinalizeBatchFigures>(
    `WITH walked AS (
       SELECT session_id, event_count, to_timestamp(first_ms / 1000.0) AS first_at, to_timestamp(last_ms / 1000.0) AS last_at,
              watch_ms, buffer_ms, has_error, saw_play, startup_ms, last_state, max_gap_ms
       FROM unnest($4::uuid[], $5::int4[], $6::float8[], $7::float8[], $8::int8[], $9::int8[], $10::bool[], $11::bool[], $12::int4[], $13::text[], $14::int8[])
         AS w(session_id, event_count, first_ms, last_ms, watch_ms, buffer_ms, has_error, saw_play, startup_ms, last_state, max_gap_ms)
     ),
     ${FINALIZE_SQL}`,
    [
      ids,
      candidates.map((c) => c.updated_at),
      SESSION_GAP_MS,
      walked.map((w) => w.sessionId),
      walked.map((w) => w.eventCount),
      walked.map((w) => w.firstAt.getTime()),
      walked.map((w) => w.lastAt.getTime()),
      walked.map((w) => Math.round(w.watchSeconds * 1000)),
      walked.map((w) => Math.round(w.bufferSeconds * 1000)),
      walked.map((w) => w.hasError),
      walked.map((w) => w.sawPlay),
      walked.map((w) => w.startupMs),
      walked.map((w) => w.lastState),
      walked.map((w) => w.maxGapMs),
    ],
  );
  return rows[0]!;
}
