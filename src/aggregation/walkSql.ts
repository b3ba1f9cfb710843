// The spec's per-session state walk (src/sessions/walk.ts) as one set-based SQL statement, so the
// job can finalize hundreds of thousands of sessions in one pass over playback_events instead of
// streaming every event into Node. walkSql.test.ts proves it equals walk() on random sessions.
//
// How the state is found without recursion: only play, buffer_start, buffer_end, pause and ended
// set the state outright; a heartbeat turns idle or paused into playing and keeps playing or
// buffering; an error keeps the state. So the state after an event is decided by the last
// state-setting event so far and by whether a heartbeat came after it. Both are running
// aggregates over one window (one sort). Each event then contributes the gap to the next event,
// capped at 2·H, when the state after it is playing or buffering. The last event has no gap (NULL;
// careful, least(NULL, x) is x in PostgreSQL, hence `gap IS NOT NULL`). Gaps are summed
// as intervals (exact to the microsecond; event times are stored to the millisecond).
import type { PoolClient } from "pg";
import { MAX_GAP_SECONDS, MAX_STARTUP_MS, type PlayerState } from "~/contract";

export interface WalkedSession {
  sessionId: string;
  eventCount: number;
  firstAt: Date;
  lastAt: Date;
  watchSeconds: number;
  bufferSeconds: number;
  hasError: boolean;
  /** A `play` is among its events (ingestion's walk state: the first play decides startupMs). */
  sawPlay: boolean;
  startupMs: number | null;
  lastState: PlayerState;
  /** Largest gap between consecutive events, ms: ≥ 30 min means the session must be split. */
  maxGapMs: number;
}

/**
 * SQL (a CTE body named `walked`) computing the final figures of the sessions listed in
 * `$1::uuid[]` from all their events. Columns: session_id, event_count, first_at, last_at,
 * watch_ms, buffer_ms, has_error, saw_play, startup_ms, last_state, max_gap_ms.
 */
export const WALK_SQL = `
  ev AS (
    SELECT e.session_id, e.id, e.seq, e.type, e.event_at, e.extra,
           row_number() OVER w AS rn,
           count(*) FILTER (WHERE e.type = 'heartbeat') OVER w AS hbc,
           -- intervals, not epoch numerics: exact (microseconds) and much cheaper per row
           lead(e.event_at) OVER w - e.event_at AS gap
    FROM playback_events e
    WHERE e.session_id = ANY($1::uuid[])
    WINDOW w AS (PARTITION BY e.session_id ORDER BY e.event_at, e.seq, e.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  st AS (
    SELECT ev.*,
           -- rn * 8 + code of the last state-setting event so far (max of an increasing key).
           max(CASE ev.type WHEN 'play' THEN 1 WHEN 'buffer_start' THEN 2 WHEN 'buffer_end' THEN 3
                            WHEN 'pause' THEN 4 WHEN 'ended' THEN 5 END + ev.rn * 8) OVER w2 AS set_key,
           -- heartbeats seen when that event came (hbc never decreases, so the max is the latest).
           max(CASE WHEN ev.type IN ('play', 'buffer_start', 'buffer_end', 'pause', 'ended') THEN ev.hbc END) OVER w2 AS set_hbc
    FROM ev
    -- The same ordering as w, so PostgreSQL reuses the first sort.
    WINDOW w2 AS (PARTITION BY ev.session_id ORDER BY ev.event_at, ev.seq, ev.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  states AS (
    SELECT st.session_id, st.type, st.event_at, st.rn, st.gap,
           -- the state after the event: 0 idle, 1 playing, 2 buffering, 3 paused
           CASE
             WHEN set_key IS NULL THEN CASE WHEN hbc > 0 THEN 1 ELSE 0 END
             WHEN set_key % 8 = 2 THEN 2
             WHEN set_key % 8 IN (1, 3) THEN 1
             WHEN hbc > set_hbc THEN 1
             WHEN set_key % 8 = 4 THEN 3
             ELSE 0
           END AS state,
           CASE WHEN type = 'play' AND jsonb_typeof(extra -> 'startupMs') = 'number' THEN
             CASE WHEN (extra ->> 'startupMs')::numeric BETWEEN 0 AND ${MAX_STARTUP_MS}
                  THEN round((extra ->> 'startupMs')::numeric)::int END
           END AS startup
    FROM st
  ),
  walked AS (
    SELECT session_id,
           count(*)::int AS event_count,
           min(event_at) AS first_at,
           max(event_at) AS last_at,
           (extract(epoch FROM coalesce(sum(least(gap, interval '${MAX_GAP_SECONDS} seconds')) FILTER (WHERE state IN (1, 2) AND gap IS NOT NULL), interval '0')) * 1000)::bigint AS watch_ms,
           (extract(epoch FROM coalesce(sum(least(gap, interval '${MAX_GAP_SECONDS} seconds')) FILTER (WHERE state = 2 AND gap IS NOT NULL), interval '0')) * 1000)::bigint AS buffer_ms,
           bool_or(type = 'error') AS has_error,
           bool_or(type = 'play') AS saw_play,
           (array_agg(startup ORDER BY rn) FILTER (WHERE type = 'play'))[1] AS startup_ms,
           (ARRAY['idle', 'playing', 'buffering', 'paused'])[1 + max(state) FILTER (WHERE gap IS NULL)] AS last_state,
           (extract(epoch FROM coalesce(max(gap), interval '0')) * 1000)::bigint AS max_gap_ms
    FROM states
    GROUP BY session_id
  )`;

/**
 * SET list writing a `walked` row (aliased w) into its viewer_sessions row: the figures, the walk
 * state ingestion continues from, and needs_rewalk = false (they now come from all its events).
 */
export const SET_WALKED_FIGURES = `started_at = w.first_at, ended_at = w.last_at, event_count = w.event_count,
           watch_seconds = w.watch_ms / 1000.0, buffer_seconds = w.buffer_ms / 1000.0,
           has_error = w.has_error, startup_ms = w.startup_ms, last_state = w.last_state::player_state,
           saw_play = w.saw_play, needs_rewalk = false`;

interface WalkedRow {
  session_id: string;
  event_count: number;
  first_at: Date;
  last_at: Date;
  watch_ms: number | string;
  buffer_ms: number | string;
  has_error: boolean;
  saw_play: boolean;
  startup_ms: number | null;
  last_state: PlayerState;
  max_gap_ms: number | string;
}

function toWalkedSession(r: WalkedRow): WalkedSession {
  return {
    sessionId: r.session_id,
    eventCount: r.event_count,
    firstAt: r.first_at,
    lastAt: r.last_at,
    watchSeconds: Number(r.watch_ms) / 1000,
    bufferSeconds: Number(r.buffer_ms) / 1000,
    hasError: r.has_error,
    sawPlay: r.saw_play,
    startupMs: r.startup_ms,
    lastState: r.last_state,
    maxGapMs: Number(r.max_gap_ms),
  };
}

/** Walks the given sessions' events in SQL; sessions without events are absent from the result. */
export async function walkSessionsInSql(client: Pick<PoolClient, "query">, sessionIds: string[]): Promise<WalkedSession[]> {
  if (!sessionIds.length) return [];
  const { rows } = await client.query<WalkedRow>(`WITH ${WALK_SQL} SELECT * FROM walked`, [sessionIds]);
  return rows.map(toWalkedSession);
}
