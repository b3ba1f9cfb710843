// The spec's per-session state walk (src/sessions/walk.ts) in ClickHouse SQL, for ClickHouse as the
// event store. ClickHouse 18.16 has no window functions, so each session's events are gathered
// into one sorted array (groupArray + arraySort by time, then seq) and walked with array functions:
//   - state-setting events (play, pause, ended, buffer_start, buffer_end) decide the state outright;
//     arrayCumSum counts them, so cset[i] is the number of such events up to i, and
//     setCodes[cset[i]] the last one's type;
//   - a heartbeat after that event (hbc[i] > setHbc[cset[i]]) turns paused/idle into playing;
//     an error keeps the state;
//   - each event contributes the gap to the next, capped at 2·H, when the state after it is
//     playing or buffering. Gaps are whole milliseconds, so sums are exact and equal PostgreSQL's.
// FINAL collapses copies of an event (resends, re-inserts that moved it to another session).
import { chList, chRows, chString, getClickHouse } from "~/lib/clickhouse/client";
import { MAX_GAP_SECONDS, type PlayerState } from "~/contract";
import type { WalkedSession } from "../walkSql";

/** Sessions per ClickHouse query: the IN lists stay well under max_query_size below. */
const CH_WALK_CHUNK = 5000;

export interface SessionRef {
  id: string;
  streamId: string;
  clientId: string;
}

interface Row {
  session_id: string;
  event_count: number;
  first_ms: string;
  last_ms: string;
  watch_ms: string;
  buffer_ms: string;
  has_error: number;
  saw_play: number;
  startup_ms: string | null;
  last_state: PlayerState;
  max_gap_ms: string;
}

// Type codes of the Enum8 (clickhouse/migrations/001_playback_events.sql):
// play 1, pause 2, heartbeat 3, ended 4, error 5, buffer_start 6, buffer_end 7.
function walkQuery(filter: string): string {
  const cap = MAX_GAP_SECONDS * 1000;
  return `
SELECT session_id, event_count, first_ms, last_ms, watch_ms, buffer_ms, has_error, saw_play, startup_ms, last_state, max_gap_ms
FROM (
  SELECT session_id, event_count, ats[1] AS first_ms, ats[-1] AS last_ms,
         arraySum(arrayMap((g, s) -> if(s IN ('playing', 'buffering'), least(g, ${cap}), 0), gaps, states)) AS watch_ms,
         arraySum(arrayMap((g, s) -> if(s = 'buffering', least(g, ${cap}), 0), gaps, states)) AS buffer_ms,
         has(codes, 5) AS has_error,
         has(codes, 1) AS saw_play,
         if(arrayFirstIndex(c -> c = 1, codes) = 0, NULL, startups[arrayFirstIndex(c -> c = 1, codes)]) AS startup_ms,
         states[-1] AS last_state,
         arrayReduce('max', gaps) AS max_gap_ms
  FROM (
    SELECT session_id, event_count, ats, codes, startups,
           arrayMap(i -> if(i < event_count, ats[i + 1] - ats[i], 0), arrayEnumerate(ats)) AS gaps,
           arrayMap(c -> has([1, 2, 4, 6, 7], c), codes) AS is_set,
           arrayCumSum(is_set) AS cset,
           arrayCumSum(arrayMap(c -> c = 3, codes)) AS hbc,
           arrayFilter((c, s) -> s = 1, codes, is_set) AS set_codes,
           arrayFilter((h, s) -> s = 1, hbc, is_set) AS set_hbc,
           arrayMap(i -> multiIf(
               cset[i] = 0, if(hbc[i] > 0, 'playing', 'idle'),
               set_codes[cset[i]] = 6, 'buffering',
               set_codes[cset[i]] IN (1, 7), 'playing',
               hbc[i] > set_hbc[cset[i]], 'playing',
               set_codes[cset[i]] = 2, 'paused',
               'idle'), arrayEnumerate(codes)) AS states
    FROM (
      SELECT toString(session_id) AS session_id, count() AS event_count,
             arraySort(groupArray((event_ms, seq, toInt8(type), startup_ms))) AS evs,
             arrayMap(e -> e.1, evs) AS ats,
             arrayMap(e -> e.3, evs) AS codes,
             arrayMap(e -> e.4, evs) AS startups
      FROM playback_events FINAL
      WHERE ${filter}
      GROUP BY session_id
    )
  )
)`;
}

function toWalked(r: Row): WalkedSession {
  return {
    sessionId: r.session_id,
    eventCount: Number(r.event_count),
    firstAt: new Date(Number(r.first_ms)),
    lastAt: new Date(Number(r.last_ms)),
    watchSeconds: Number(r.watch_ms) / 1000,
    bufferSeconds: Number(r.buffer_ms) / 1000,
    hasError: Number(r.has_error) === 1,
    sawPlay: Number(r.saw_play) === 1,
    startupMs: r.startup_ms === null ? null : Number(r.startup_ms),
    lastState: r.last_state,
    maxGapMs: Number(r.max_gap_ms),
  };
}

/** Walks the given sessions' events in ClickHouse; sessions without events are absent. */
export async function walkSessionsClickHouse(sessions: SessionRef[]): Promise<WalkedSession[]> {
  const out: WalkedSession[] = [];
  const ch = getClickHouse();
  for (let i = 0; i < sessions.length; i += CH_WALK_CHUNK) {
    const part = sessions.slice(i, i + CH_WALK_CHUNK);
    const filter = `stream_id IN ${chList([...new Set(part.map((s) => s.streamId))], chString)}
        AND client_id IN ${chList([...new Set(part.map((s) => s.clientId))], chString)}
        AND toString(session_id) IN ${chList(part.map((s) => s.id), chString)}`;
    const rs = await ch.query({ query: walkQuery(filter), format: "JSONEachRow", clickhouse_settings: { max_query_size: "67108864" } });
    for (const r of await rs.json<Row>()) out.push(toWalked(r));
  }
  return out;
}

/** A session's events in walk order (time, then seq), from ClickHouse. */
export async function sessionEventsClickHouse(s: SessionRef) {
  const rows = await chRows<{ seq: string; type: string; event_ms: string; extra: string }>(
    getClickHouse(),
    `SELECT seq, toString(type) AS type, event_ms, extra FROM playback_events FINAL
     WHERE stream_id = ${chString(s.streamId)} AND client_id = ${chString(s.clientId)} AND toString(session_id) = ${chString(s.id)}
     ORDER BY event_ms, seq`,
  );
  return rows.map((r) => ({ seq: Number(r.seq), type: r.type, at: Number(r.event_ms), extra: r.extra ? (JSON.parse(r.extra) as unknown) : null }));
}

/** The events of many sessions (walk order within each), from ClickHouse, in chunks of CH_WALK_CHUNK sessions. */
export async function sessionsEventsClickHouse(sessions: SessionRef[]) {
  const out: { sessionId: string; seq: number; type: string; at: number; extra: unknown }[] = [];
  for (let i = 0; i < sessions.length; i += CH_WALK_CHUNK) {
    const part = sessions.slice(i, i + CH_WALK_CHUNK);
    const rs = await getClickHouse().query({
      query: `SELECT toString(session_id) AS session_id, seq, toString(type) AS type, event_ms, extra FROM playback_events FINAL
        WHERE stream_id IN ${chList([...new Set(part.map((s) => s.streamId))], chString)}
          AND client_id IN ${chList([...new Set(part.map((s) => s.clientId))], chString)}
          AND toString(session_id) IN ${chList(part.map((s) => s.id), chString)}
        ORDER BY session_id, event_ms, seq`,
      format: "JSONEachRow",
      clickhouse_settings: { max_query_size: "67108864" },
    });
    for (const r of await rs.json<{ session_id: string; seq: string; type: string; event_ms: string; extra: string }>()) {
      out.push({ sessionId: r.session_id, seq: Number(r.seq), type: r.type, at: Number(r.event_ms), extra: r.extra ? (JSON.parse(r.extra) as unknown) : null });
    }
  }
  return out;
}
