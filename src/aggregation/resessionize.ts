// Re-sessionizing: the door (src/sessions/assign.ts) decides sessions in arrival order, so they are
// provisional for a viewer that got an event earlier than its latest one; the door flags such a
// viewer (viewer_session_flags, with the span of those events). The job makes its sessions exact:
// under the door's own per-(stream, client) lock, it takes the viewer's sessions around the flagged
// span (and any within 30 min of those, until none is), re-splits their events by the 30-min rule
// (splitSessions' rule: merges what is now less than 30 min apart, splits what is 30 min or more
// apart), walks each run (walk(); on PostgreSQL WALK_SQL, the events staying in the database), and
// writes the result: the same events give the same sessions and
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
import { WALK_SQL } from "./walkSql";

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
    const byId = new Map(affected.map((s) => [s.id, s]));
    // PostgreSQL: the runs are cut in SQL and only their parts come back; the walk follows in SQL
    // once the events are moved. ClickHouse: the events come to Node, cut and walked here.
    const plan = clickhouse ? await planInNode(affected, byId) : await planInSql(client, affected);
    result.events = plan.events;

    const written: Written[] = [];
    const ranges: RangeMove[] = [];
    const eventMoves: EventMove[] = [];
    const kept = new Set<string>();
    const withEvents = new Set<string>();
    for (const runs of plan.viewers) {
      const ids = survivors(runs, byId);
      runs.forEach((run, i) => {
        const id = ids[i] ?? randomUUID();
        if (ids[i]) kept.add(id);
        else result.created++;
        const first = run.find((p) => p.first)!;
        written.push({ id, from: byId.get(first.sessionId)!, figures: plan.figures?.get(run) });
        const lo = Math.min(...run.map((p) => p.lo));
        const hi = Math.max(...run.map((p) => p.hi));
        // Runs are 30 min or more apart: an old session's events in this run are those in its span.
        for (const p of run) {
          withEvents.add(p.sessionId);
          if (p.sessionId === id) continue;
          ranges.push({ from: p.sessionId, to: id, lo, hi });
          for (const seq of p.seqs ?? []) eventMoves.push({ seq, to: id, streamId: first.streamId, clientId: first.clientId });
        }
      });
    }
    // Sessions with no events (gone by retention) are left as they are.
    const gone = affected.filter((s) => withEvents.has(s.id) && !kept.has(s.id)).map((s) => s.id);
    result.before = withEvents.size;
    result.after = written.length;
    result.merged = gone.length;

    if (clickhouse) await upsertWalked(client, written);
    else {
      if (ranges.length) await moveEventsPostgres(client, ranges);
      await upsertWalkedInSql(client, written);
    }
    if (gone.length) await client.query("DELETE FROM viewer_sessions WHERE id = ANY($1::uuid[])", [gone]);
    return eventMoves;
    // Every event read or moved here is found by a list of a few thousand sessions, where the index
    // is always right; but the planner's estimate for `session_id = ANY(…)` (rows per session from a
    // sampled n_distinct) grows with the list, and at 20 M events it picked a parallel sequential
    // scan of the whole partition for each statement (≈3 s each instead of ≈0.1 s).
  }, { settings: { enable_seqscan: "off" } });
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

interface Written {
  id: string;
  /** The old session that held the run's earliest event: its stream, viewer, country and device. */
  from: SessionRow;
  figures?: SessionFigures;
}

const UPSERT_SET = `ON CONFLICT (id) DO UPDATE SET
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, country = EXCLUDED.country,
         device_class = EXCLUDED.device_class, browser = EXCLUDED.browser, os = EXCLUDED.os,
         event_count = EXCLUDED.event_count, watch_seconds = EXCLUDED.watch_seconds, buffer_seconds = EXCLUDED.buffer_seconds,
         has_error = EXCLUDED.has_error, startup_ms = EXCLUDED.startup_ms, last_state = EXCLUDED.last_state,
         saw_play = EXCLUDED.saw_play, needs_rewalk = false, finalized_at = NULL, updated_at = EXCLUDED.updated_at`;

/** Writes the runs with the figures walked in Node. */
async function upsertWalked(client: pg.ClientBase, written: readonly Written[]): Promise<void> {
  const f = written.map((w) => w.figures!);
  await client.query(
    `INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
       event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, finalized_at, updated_at)
     SELECT id, s, c, to_timestamp(st / 1000.0), to_timestamp(en / 1000.0), co, dc::device_class, br, os, ec, ws, bs, he, su,
            ls::player_state, sp, false, NULL, clock_timestamp()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::int4[], $11::float8[], $12::float8[], $13::bool[], $14::int4[], $15::text[], $16::bool[])
       AS u(id, s, c, st, en, co, dc, br, os, ec, ws, bs, he, su, ls, sp)
     ${UPSERT_SET}`,
    [
      written.map((w) => w.id),
      written.map((w) => w.from.stream_id),
      written.map((w) => w.from.client_id),
      f.map((x) => x.startedAt),
      f.map((x) => x.endedAt),
      written.map((w) => w.from.country),
      written.map((w) => w.from.device_class),
      written.map((w) => w.from.browser),
      written.map((w) => w.from.os),
      f.map((x) => x.eventCount),
      f.map((x) => x.watchSeconds),
      f.map((x) => x.bufferSeconds),
      f.map((x) => x.hasError),
      f.map((x) => x.startupMs),
      f.map((x) => x.lastState),
      f.map((x) => x.sawPlay),
    ],
  );
}

/** Writes the runs with their figures from WALK_SQL over their (moved) events: no event leaves PostgreSQL. */
async function upsertWalkedInSql(client: pg.ClientBase, written: readonly Written[]): Promise<void> {
  await client.query(
    `WITH ${WALK_SQL},
     u AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, s, c, co, dc, br, os))
     INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
       event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, finalized_at, updated_at)
     SELECT u.id, u.s, u.c, w.first_at, w.last_at, u.co, u.dc::device_class, u.br, u.os, w.event_count, w.watch_ms / 1000.0,
            w.buffer_ms / 1000.0, w.has_error, w.startup_ms, w.last_state::player_state, w.saw_play, false, NULL, clock_timestamp()
     FROM u JOIN walked w ON w.session_id = u.id
     ${UPSERT_SET}`,
    [
      written.map((w) => w.id),
      written.map((w) => w.from.stream_id),
      written.map((w) => w.from.client_id),
      written.map((w) => w.from.country),
      written.map((w) => w.from.device_class),
      written.map((w) => w.from.browser),
      written.map((w) => w.from.os),
    ],
  );
}

/** An old session's events within one run: how many, their span (ms), whether the run's first event is among them. */
interface Part {
  sessionId: string;
  streamId: string;
  clientId: string;
  events: number;
  lo: number;
  hi: number;
  first: boolean;
  /** ClickHouse: the events' seqs (moves there go by seq). */
  seqs?: number[];
}

interface Plan {
  /** Per viewer, its runs in time order, each the parts of the old sessions it is made of. */
  viewers: Part[][][];
  events: number;
  /** Node: each run's figures (walk()); PostgreSQL walks the runs in SQL after the moves. */
  figures?: Map<Part[], SessionFigures>;
}

function partsOf(run: readonly Ev[], byId: ReadonlyMap<string, SessionRow>): Part[] {
  const parts = new Map<string, Part>();
  for (const e of run) {
    const s = byId.get(e.sessionId)!;
    const p = parts.get(e.sessionId) ?? parts.set(e.sessionId, { sessionId: e.sessionId, streamId: s.stream_id, clientId: s.client_id, events: 0, lo: e.at, hi: e.at, first: e === run[0], seqs: [] }).get(e.sessionId)!;
    p.events++;
    p.hi = e.at;
    p.seqs!.push(e.seq);
  }
  return [...parts.values()];
}

/** The affected events come to Node: cut in (time, seq) order with splitSessions, each run walked. */
async function planInNode(affected: SessionRow[], byId: ReadonlyMap<string, SessionRow>): Promise<Plan> {
  const events = await affectedEventsClickHouse(affected);
  const eventsOf = new Map<string, Ev[]>();
  for (const e of events) {
    const s = byId.get(e.sessionId)!;
    const k = viewerKey(s.stream_id, s.client_id);
    (eventsOf.get(k) ?? eventsOf.set(k, []).get(k)!).push(e);
  }
  const figures = new Map<Part[], SessionFigures>();
  const viewers: Part[][][] = [];
  for (const evs of eventsOf.values()) {
    evs.sort((a, b) => a.at - b.at || a.seq - b.seq || Number(a.id ?? 0) - Number(b.id ?? 0));
    viewers.push(
      splitSessions(evs).map((run) => {
        const parts = partsOf(run, byId);
        figures.set(parts, sessionFigures(run));
        return parts;
      }),
    );
  }
  return { viewers, events: events.length, figures };
}

/**
 * The same cut in SQL (splitSessions' rule: a gap of 30 min or more between consecutive events in
 * (time, seq, id) order starts a run), returning one row per (viewer, run, old session): the
 * events stay in PostgreSQL.
 */
async function planInSql(client: pg.ClientBase, affected: SessionRow[]): Promise<Plan> {
  const viewerOf = new Map<string, number>();
  const k = affected.map((s) => {
    const key = viewerKey(s.stream_id, s.client_id);
    return viewerOf.get(key) ?? viewerOf.set(key, viewerOf.size).get(key)!;
  });
  const { rows } = await client.query<{ k: number; run: number; session_id: string; n: number; lo: Date; hi: Date; first: boolean }>(
    `WITH ev AS (
       SELECT a.k, e.session_id, e.event_at, e.seq, e.id,
              -- 1 where a run starts: the viewer's first event, or one 30 min or more after the previous
              CASE WHEN e.event_at - lag(e.event_at) OVER w < $3 * interval '1 millisecond' THEN 0 ELSE 1 END AS start
       FROM unnest($1::uuid[], $2::int4[]) AS a(id, k)
       -- ANY as well as the join: an index scan per partition; the join alone is planned as a hash
       -- join over a sequential scan of every partition (10× slower at 2 M events)
       JOIN playback_events e ON e.session_id = a.id AND e.session_id = ANY($1::uuid[])
       WINDOW w AS (PARTITION BY a.k ORDER BY e.event_at, e.seq, e.id)
     ),
     runs AS (
       SELECT ev.*, sum(start) OVER (PARTITION BY k ORDER BY event_at, seq, id ROWS UNBOUNDED PRECEDING) AS run FROM ev
     )
     SELECT k, run::int4, session_id, count(*)::int4 AS n, min(event_at) AS lo, max(event_at) AS hi, bool_or(start = 1) AS first
     FROM runs GROUP BY k, run, session_id ORDER BY k, run`,
    [affected.map((s) => s.id), k, SESSION_GAP_MS],
  );
  const byId = new Map(affected.map((s) => [s.id, s]));
  const viewers: Part[][][] = [...viewerOf.values()].map(() => []);
  let events = 0;
  for (const r of rows) {
    const s = byId.get(r.session_id)!;
    const runs = viewers[r.k]!;
    const run = runs[r.run - 1] ?? (runs[r.run - 1] = []);
    run.push({ sessionId: r.session_id, streamId: s.stream_id, clientId: s.client_id, events: r.n, lo: r.lo.getTime(), hi: r.hi.getTime(), first: r.first });
    events += r.n;
  }
  return { viewers: viewers.filter((runs) => runs.length), events };
}

/**
 * Re-points moved events in PostgreSQL: one statement for the transaction, each move an old
 * session's events within a run's span, found through the (session_id, event_at) index (the ANY
 * makes the planner use it rather than hash-join a sequential scan of every partition).
 */
async function moveEventsPostgres(client: pg.ClientBase, ranges: readonly RangeMove[]): Promise<void> {
  await client.query(
    `UPDATE playback_events e SET session_id = m.to_id
     FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::float8[]) AS m(from_id, to_id, lo, hi)
     WHERE e.session_id = m.from_id AND e.session_id = ANY($1::uuid[])
       AND e.event_at > to_timestamp((m.lo - 1) / 1000.0) AND e.event_at < to_timestamp((m.hi + 1) / 1000.0)`,
    [ranges.map((r) => r.from), ranges.map((r) => r.to), ranges.map((r) => r.lo), ranges.map((r) => r.hi)],
  );
}

/**
 * The id each run keeps: an old session's, so that as few events as possible move. Runs are given
 * as their parts (an old session's events in the run: one per old session). Pairs of (run, old
 * session) go by the run's events from that session, most first (ties: the earlier-starting
 * session, then the smaller id); each pair whose run and session are both still free is taken.
 * A run left without one gets a new id (undefined here).
 */
export function survivors(
  runs: readonly (readonly { sessionId: string; events: number }[])[],
  sessions: ReadonlyMap<string, { started_at: Date }>,
): (string | undefined)[] {
  const pairs: { run: number; id: string; n: number; start: number }[] = [];
  runs.forEach((run, i) => {
    for (const p of run) pairs.push({ run: i, id: p.sessionId, n: p.events, start: sessions.get(p.sessionId)?.started_at.getTime() ?? 0 });
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

async function affectedEventsClickHouse(sessions: SessionRow[]): Promise<Ev[]> {
  const rows = await sessionsEventsClickHouse(sessions.map((s) => ({ id: s.id, streamId: s.stream_id, clientId: s.client_id })));
  return rows.map((e) => ({ id: null, sessionId: e.sessionId, seq: e.seq, type: e.type as EventType, at: e.at, extra: e.extra }));
}
