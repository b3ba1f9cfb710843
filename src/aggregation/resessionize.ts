// Re-sessionizing: the door (src/sessions/assign.ts) decides sessions in arrival order, so they are
// provisional for a viewer that got an event earlier than its latest one; the door flags such a
// viewer (viewer_session_flags, with the span of those events). The job makes its sessions exact:
// under the door's own per-(stream, client) lock, it takes the viewer's sessions around the flagged
// span (and any within 30 min of those, until none is), re-splits their events by the 30-min rule
// (splitSessions: merges what is now less than 30 min apart, splits what is 30 min or more apart),
// walks each run (walk()), and writes the result: the same events give the same sessions and
// figures whatever order they came in (docs/metrics.md "Sessions", docs/aggregation.md).
//
// Ids stay stable for as many events as they can: a run keeps the id of the old session that gave it
// the most events (survivors(): fewest events re-pointed, each a new row version with four index
// entries); other runs get new ids; old sessions
// left without events are deleted. A run's country and device are those of the old session that
// held the run's earliest event (the door gives a session those of the batch that delivered its
// earliest event). Rewritten sessions are exact (needs_rewalk false) and not finalized: finalizing
// closes them without reading events; their updated_at makes the stream's series and stats redone
// over their span, which covers every deleted session's.
//
// Only flagged viewers are read, and of those only the affected sessions' events: incremental.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { SESSION_GAP_MS, type DeviceClass, type EventType } from "~/contract";
import { eventStore } from "~/lib/db/runQuery";
import { withTransaction } from "~/lib/db/transaction";
import { lockViewersSql } from "~/ingest/queries/sessions";
import { sessionFigures, splitSessions, type SessionFigures } from "~/sessions/walk";
import { chunk, forEachParallel } from "./parallel";
import { moveEventsClickHouse } from "./queries/sessionEvents";
import { sessionsEventsClickHouse } from "./queries/walkClickHouse";

export interface ResessionizeOptions {
  /** Only these streams' flags (tests, the demo seed); all when null. */
  streamIds?: string[] | null;
  /** Viewers per transaction. */
  batchSize?: number;
  /** Transactions at once. */
  concurrency?: number;
}

export interface ResessionizeResult {
  /** Flagged viewers re-sessionized. */
  viewers: number;
  /** Sessions read (the affected ones). */
  before: number;
  /** Sessions written. */
  after: number;
  /** Old sessions merged into others (deleted). */
  merged: number;
  /** Sessions created (a run that no old session's id was left for). */
  created: number;
  /** Events read. */
  events: number;
}

interface SessionRow {
  id: string;
  stream_id: string;
  client_id: string;
  started_at: Date;
  ended_at: Date;
  country: string;
  device_class: DeviceClass;
  browser: string | null;
  os: string | null;
}

interface Ev {
  id: number | string | null;
  sessionId: string;
  seq: number;
  type: EventType;
  at: number;
  extra: unknown;
}

interface NewSession extends SessionFigures {
  id: string;
  streamId: string;
  clientId: string;
  from: SessionRow;
}

interface EventMove {
  seq: number;
  to: string;
  streamId: string;
  clientId: string;
}

/** An old session's events from lo to hi (ms, inclusive) go to another session. */
interface RangeMove {
  from: string;
  to: string;
  lo: number;
  hi: number;
}

const viewerKey = (streamId: string, clientId: string) => `${streamId}\u0000${clientId}`;

export async function resessionize(pool: pg.Pool, opts: ResessionizeOptions = {}): Promise<ResessionizeResult> {
  const total: ResessionizeResult = { viewers: 0, before: 0, after: 0, merged: 0, created: 0, events: 0 };
  const { rows } = await pool.query<{ stream_id: string; client_id: string }>(
    `SELECT stream_id, client_id FROM viewer_session_flags
     WHERE ($1::text[] IS NULL OR stream_id = ANY($1::text[])) ORDER BY stream_id, client_id`,
    [opts.streamIds ?? null],
  );
  const viewers = rows.map((r) => ({ streamId: r.stream_id, clientId: r.client_id }));
  const concurrency = opts.concurrency ?? 2;
  await forEachParallel(chunk(viewers, opts.batchSize ?? 500, concurrency), concurrency, async (part) => {
    const r = await resessionizeViewers(pool, part);
    for (const k of Object.keys(total) as (keyof ResessionizeResult)[]) total[k] += r[k];
  });
  return total;
}

/** One transaction: lock the viewers (as the door does), take their flags, rewrite their affected sessions. */
export async function resessionizeViewers(pool: pg.Pool, viewers: { streamId: string; clientId: string }[]): Promise<ResessionizeResult> {
  const result: ResessionizeResult = { viewers: 0, before: 0, after: 0, merged: 0, created: 0, events: 0 };
  const clickhouse = eventStore() === "clickhouse";
  const moves = await withTransaction(pool, async (client) => {
    await client.query(lockViewersSql(viewers));
    // Flags another run took meanwhile are gone: those viewers are done.
    const flags = await client.query<{ stream_id: string; client_id: string; from_at: Date; to_at: Date }>(
      `DELETE FROM viewer_session_flags f USING unnest($1::text[], $2::text[]) AS u(s, c)
       WHERE f.stream_id = u.s AND f.client_id = u.c
       RETURNING f.stream_id, f.client_id, f.from_at, f.to_at`,
      [viewers.map((v) => v.streamId), viewers.map((v) => v.clientId)],
    );
    if (!flags.rows.length) return [];
    result.viewers = flags.rows.length;
    const sessions = await client.query<SessionRow>(
      `SELECT v.id, v.stream_id, v.client_id, v.started_at, v.ended_at, v.country, v.device_class, v.browser, v.os
       FROM unnest($1::text[], $2::text[]) AS u(s, c)
       JOIN viewer_sessions v ON v.stream_id = u.s AND v.client_id = u.c`,
      [flags.rows.map((f) => f.stream_id), flags.rows.map((f) => f.client_id)],
    );
    const byViewer = new Map<string, SessionRow[]>();
    for (const s of sessions.rows) {
      const k = viewerKey(s.stream_id, s.client_id);
      byViewer.set(k, [...(byViewer.get(k) ?? []), s]);
    }
    const affected: SessionRow[] = [];
    for (const f of flags.rows) {
      affected.push(...affectedSessions(byViewer.get(viewerKey(f.stream_id, f.client_id)) ?? [], f.from_at.getTime(), f.to_at.getTime()));
    }
    if (!affected.length) return [];
    const events = await affectedEvents(client, affected, clickhouse);
    result.events = events.length;

    // Per viewer: its affected events in walk order, re-split, each run given an id.
    const byId = new Map(affected.map((s) => [s.id, s]));
    const eventsOf = new Map<string, Ev[]>();
    for (const e of events) {
      const s = byId.get(e.sessionId)!;
      const k = viewerKey(s.stream_id, s.client_id);
      (eventsOf.get(k) ?? eventsOf.set(k, []).get(k)!).push(e);
    }
    const written: NewSession[] = [];
    const eventMoves: EventMove[] = [];
    const ranges: RangeMove[] = [];
    const kept = new Set<string>();
    for (const evs of eventsOf.values()) {
      evs.sort((a, b) => a.at - b.at || a.seq - b.seq || Number(a.id ?? 0) - Number(b.id ?? 0));
      const runs = splitSessions(evs);
      const ids = survivors(runs, byId);
      runs.forEach((run, i) => {
        const id = ids[i] ?? randomUUID();
        if (ids[i]) kept.add(id);
        else result.created++;
        const from = byId.get(run[0]!.sessionId)!;
        written.push({ id, streamId: from.stream_id, clientId: from.client_id, from, ...sessionFigures(run) });
        // Runs are 30 min or more apart: an old session's events in this run are those in its span.
        const moved = new Set<string>();
        for (const e of run) {
          if (e.sessionId === id) continue;
          eventMoves.push({ seq: e.seq, to: id, streamId: from.stream_id, clientId: from.client_id });
          moved.add(e.sessionId);
        }
        for (const old of moved) ranges.push({ from: old, to: id, lo: run[0]!.at, hi: run[run.length - 1]!.at });
      });
    }
    // Sessions with no events (gone by retention) are left as they are.
    const withEvents = new Set(events.map((e) => e.sessionId));
    const gone = affected.filter((s) => withEvents.has(s.id) && !kept.has(s.id)).map((s) => s.id);
    result.before = withEvents.size;
    result.after = written.length;
    result.merged = gone.length;

    await client.query(
      `INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
         event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, finalized_at, updated_at)
       SELECT id, s, c, to_timestamp(st / 1000.0), to_timestamp(en / 1000.0), co, dc::device_class, br, os, ec, ws, bs, he, su,
              ls::player_state, sp, false, NULL, clock_timestamp()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::int4[], $11::float8[], $12::float8[], $13::bool[], $14::int4[], $15::text[], $16::bool[])
         AS u(id, s, c, st, en, co, dc, br, os, ec, ws, bs, he, su, ls, sp)
       ON CONFLICT (id) DO UPDATE SET
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, country = EXCLUDED.country,
         device_class = EXCLUDED.device_class, browser = EXCLUDED.browser, os = EXCLUDED.os,
         event_count = EXCLUDED.event_count, watch_seconds = EXCLUDED.watch_seconds, buffer_seconds = EXCLUDED.buffer_seconds,
         has_error = EXCLUDED.has_error, startup_ms = EXCLUDED.startup_ms, last_state = EXCLUDED.last_state,
         saw_play = EXCLUDED.saw_play, needs_rewalk = false, finalized_at = NULL, updated_at = EXCLUDED.updated_at`,
      [
        written.map((w) => w.id),
        written.map((w) => w.streamId),
        written.map((w) => w.clientId),
        written.map((w) => w.startedAt),
        written.map((w) => w.endedAt),
        written.map((w) => w.from.country),
        written.map((w) => w.from.device_class),
        written.map((w) => w.from.browser),
        written.map((w) => w.from.os),
        written.map((w) => w.eventCount),
        written.map((w) => w.watchSeconds),
        written.map((w) => w.bufferSeconds),
        written.map((w) => w.hasError),
        written.map((w) => w.startupMs),
        written.map((w) => w.lastState),
        written.map((w) => w.sawPlay),
      ],
    );
    if (!clickhouse && ranges.length) await moveEventsPostgres(client, ranges);
    if (gone.length) await client.query("DELETE FROM viewer_sessions WHERE id = ANY($1::uuid[])", [gone]);
    return eventMoves;
  });
  // ClickHouse has no transaction to join: its events follow once PostgreSQL has committed.
  if (clickhouse && moves.length) {
    const groups = new Map<string, { streamId: string; clientId: string; to: Map<string, number[]> }>();
    for (const m of moves) {
      const k = viewerKey(m.streamId, m.clientId);
      const g = groups.get(k) ?? groups.set(k, { streamId: m.streamId, clientId: m.clientId, to: new Map() }).get(k)!;
      (g.to.get(m.to) ?? g.to.set(m.to, []).get(m.to)!).push(m.seq);
    }
    for (const g of groups.values()) {
      await moveEventsClickHouse(g.streamId, g.clientId, [...g.to].map(([to, seqs]) => ({ to, seqs })));
    }
  }
  return result;
}

/**
 * Re-points moved events in PostgreSQL: one statement for the transaction, each move an old
 * session's events within a run's span, found through the (session_id, event_at) index.
 */
async function moveEventsPostgres(client: pg.ClientBase, ranges: readonly RangeMove[]): Promise<void> {
  await client.query(
    `UPDATE playback_events e SET session_id = m.to_id
     FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::float8[]) AS m(from_id, to_id, lo, hi)
     WHERE e.session_id = m.from_id AND e.event_at > to_timestamp((m.lo - 1) / 1000.0) AND e.event_at < to_timestamp((m.hi + 1) / 1000.0)`,
    [ranges.map((r) => r.from), ranges.map((r) => r.to), ranges.map((r) => r.lo), ranges.map((r) => r.hi)],
  );
}

/**
 * The id each run keeps: an old session's, so that as few events as possible move. Pairs of (run,
 * old session) go by the run's events from that session, most first (ties: the earlier-starting
 * session, then the smaller id); each pair whose run and session are both still free is taken.
 * A run left without one gets a new id (undefined here).
 */
export function survivors<E extends { sessionId: string }>(
  runs: readonly (readonly E[])[],
  sessions: ReadonlyMap<string, { started_at: Date }>,
): (string | undefined)[] {
  const pairs: { run: number; id: string; n: number; start: number }[] = [];
  runs.forEach((run, i) => {
    const n = new Map<string, number>();
    for (const e of run) n.set(e.sessionId, (n.get(e.sessionId) ?? 0) + 1);
    for (const [id, count] of n) pairs.push({ run: i, id, n: count, start: sessions.get(id)?.started_at.getTime() ?? 0 });
  });
  pairs.sort((a, b) => b.n - a.n || a.start - b.start || a.id.localeCompare(b.id) || a.run - b.run);
  const ids: (string | undefined)[] = runs.map(() => undefined);
  const taken = new Set<string>();
  for (const p of pairs) {
    if (ids[p.run] !== undefined || taken.has(p.id)) continue;
    ids[p.run] = p.id;
    taken.add(p.id);
  }
  return ids;
}

/**
 * The viewer's sessions the flagged span [from, to] can change: those within 30 min of it, then any
 * within 30 min of those, until none is (a merged session may reach the next one).
 */
export function affectedSessions<S extends { started_at: Date; ended_at: Date }>(sessions: readonly S[], from: number, to: number): S[] {
  const picked = new Set<S>();
  let lo = from;
  let hi = to;
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of sessions) {
      if (picked.has(s)) continue;
      if (s.ended_at.getTime() > lo - SESSION_GAP_MS && s.started_at.getTime() < hi + SESSION_GAP_MS) {
        picked.add(s);
        lo = Math.min(lo, s.started_at.getTime());
        hi = Math.max(hi, s.ended_at.getTime());
        grew = true;
      }
    }
  }
  return [...picked];
}

async function affectedEvents(client: pg.ClientBase, sessions: SessionRow[], clickhouse: boolean): Promise<Ev[]> {
  if (!clickhouse) {
    const { rows } = await client.query<{ id: string; session_id: string; seq: number; type: EventType; event_at: Date; extra: unknown }>(
      // The walk reads extra of a play only (its startupMs): the others' are not sent.
      "SELECT id, session_id, seq, type, event_at, CASE WHEN type = 'play' THEN extra END AS extra FROM playback_events WHERE session_id = ANY($1::uuid[])",
      [sessions.map((s) => s.id)],
    );
    return rows.map((r) => ({ id: r.id, sessionId: r.session_id, seq: r.seq, type: r.type, at: r.event_at.getTime(), extra: r.extra }));
  }
  const rows = await sessionsEventsClickHouse(sessions.map((s) => ({ id: s.id, streamId: s.stream_id, clientId: s.client_id })));
  return rows.map((e) => ({ id: null, sessionId: e.sessionId, seq: e.seq, type: e.type as EventType, at: e.at, extra: e.extra }));
}
