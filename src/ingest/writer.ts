// The group-commit writer: batches that arrive within a few milliseconds are written in ONE
// transaction (events, sessions and all), and each caller's promise settles only after COMMIT —
// nothing is acknowledged that is not durable. Fewer, larger transactions mean fewer WAL flushes,
// which is what limits PostgreSQL on small writes.
//
// Inside the transaction, two round trips whatever the group's size (sessions at the door, metrics.md):
//   1. BEGIN; pg_advisory_xact_lock on a hash of each (stream, client), keys sorted so two groups
//      cannot deadlock (concurrent batches of one viewer, in this process or another, take turns
//      and cannot open two sessions); each viewer's latest session; which events are stored already
//      (resent beacons: their (client_id, seq) is in playback_event_keys);
//   then in memory: an event joins the viewer's latest session when it is less than 30 min after
//   that session's last event, else opens a new one (country and device fixed then), and the spec's
//   state walk continues from each session's stored state over its new events only;
//   2. every event's (client_id, seq) into playback_event_keys ON CONFLICT DO NOTHING and, in the
//      same statement, the events whose keys were new into playback_events, RETURNING (what comes
//      back is what the answers count); every touched session in one upsert; COMMIT.
// playback_events is partitioned by month and cannot hold UNIQUE (client_id, seq): the small keys
// table (pruned after 48 h by the partitions job; older events are refused anyway) does the dedup.
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { SESSION_GAP_MS, type DeviceClass, type EventType, type PlayerState } from "~/contract";
import { initialWalkState, walk, type WalkState } from "~/sessions/walk";
import { metrics } from "~/lib/metrics";
import { runQuery } from "~/lib/db/runQuery";
import {
  insertEventsClickHouse,
  insertEventsSql,
  storedEventsClickHouse,
  storedEventsSql,
} from "./queries/insertEvents";

export interface PreparedEvent {
  type: EventType;
  /** Corrected server time, ms. */
  at: number;
  /** Client clock, ms. */
  ts: number;
  videoTime: number;
  seq: number;
  extra: Record<string, unknown> | null;
}

export interface PreparedBatch {
  streamId: string;
  clientId: string;
  events: PreparedEvent[];
  country: string;
  deviceClass: DeviceClass;
  browser: string | null;
  os: string | null;
}

export interface WriteResult {
  ingested: number;
  duplicates: number;
}

export interface Writer {
  write(batch: PreparedBatch): Promise<WriteResult>;
  /** Resolves once nothing is queued or being written. */
  drain(): Promise<void>;
}

export interface WriterOptions {
  pool: () => pg.Pool;
  /** How long the first batch of a group waits for company. */
  windowMs?: number;
  /** Transactions at once; the rest queue up and form larger groups. */
  maxInFlight?: number;
  /** Events per transaction at most. */
  maxGroupEvents?: number;
  /** A queue is split over several transactions only into groups of at least this many batches. */
  minGroupBatches?: number;
}

interface Pending {
  batch: PreparedBatch;
  resolve(r: WriteResult): void;
  reject(err: unknown): void;
}

/**
 * Transactions at once by default. Two, not more: on the 2-core machine bench:ingest runs on, a
 * 5 ms window with two groups in flight cost less CPU per batch in the app and in PostgreSQL, and
 * answered faster, than a 2 ms window with four (fewer, larger groups: fewer round trips, WAL
 * flushes and wake-ups per batch).
 */
export const DEFAULT_MAX_IN_FLIGHT = 2;

export function createWriter(opts: WriterOptions): Writer {
  const windowMs = opts.windowMs ?? 5;
  const maxInFlight = Math.max(1, opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
  const maxGroupEvents = opts.maxGroupEvents ?? 5000;
  const minGroupBatches = Math.max(1, opts.minGroupBatches ?? 16);
  let queue: Pending[] = [];
  let queuedEvents = 0;
  let timer: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  function schedule() {
    if (queue.length === 0 || timer) return;
    if (queuedEvents >= maxGroupEvents) {
      flush();
    } else {
      timer = setTimeout(flush, windowMs);
    }
  }

  function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    // At the limit: the queue keeps growing and is taken as larger groups when slots free up.
    // A large queue is spread over the free slots (each group at least `minGroupBatches`), so
    // PostgreSQL works on several groups at once instead of one after the other.
    while (queue.length > 0 && inFlight < maxInFlight) {
      const free = maxInFlight - inFlight;
      const groups = Math.max(1, Math.min(free, Math.floor(queue.length / minGroupBatches)));
      const target = Math.ceil(queue.length / groups);
      let n = 0;
      let events = 0;
      while (n < queue.length && n < target && (n === 0 || events + queue[n]!.batch.events.length <= maxGroupEvents)) {
        events += queue[n]!.batch.events.length;
        n++;
      }
      const group = queue.slice(0, n);
      queue = queue.slice(n);
      queuedEvents -= events;
      inFlight++;
      void runGroup(group).finally(() => {
        inFlight--;
        if (queue.length > 0) flush();
        else if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
      });
    }
  }

  async function runGroup(group: Pending[]) {
    const started = performance.now();
    let client: pg.PoolClient | undefined;
    try {
      client = await opts.pool().connect();
      let results: WriteResult[];
      try {
        // BEGIN … COMMIT are sent by writeGroup with its statements.
        results = await writeGroup(client, group.map((p) => p.batch));
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      }
      metrics.groupBatches.observe(group.length);
      metrics.commitDuration.observe((performance.now() - started) / 1000);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      for (const p of group) p.reject(err);
      // A connection that failed mid-transaction is not given back to the pool.
      client?.release(err instanceof Error ? err : true);
      client = undefined;
    } finally {
      client?.release();
    }
  }

  return {
    write(batch) {
      return new Promise<WriteResult>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        queuedEvents += batch.events.length;
        schedule();
      });
    },
    drain() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

// ---------------------------------------------------------------- the transaction

/** 64-bit advisory-lock key of a (stream, client) pair. */
export function lockKey(streamId: string, clientId: string): bigint {
  return createHash("sha1").update(streamId).update("\0").update(clientId).digest().readBigInt64BE(0);
}

interface SessionRow {
  id: string;
  stream_id: string;
  client_id: string;
  started_at: Date;
  ended_at: Date;
  event_count: number;
  watch_seconds: number;
  buffer_seconds: number;
  has_error: boolean;
  startup_ms: number | null;
  last_state: PlayerState;
  saw_play: boolean;
  needs_rewalk: boolean;
}

interface SessionDraft {
  id: string;
  isNew: boolean;
  streamId: string;
  clientId: string;
  startedAt: number;
  /** Last event time so far, for the 30-min rule while assigning. */
  lastAt: number;
  from: WalkState;
  /** The stored walk covers all its events so far (needs_rewalk is false, or the session is new). */
  exact: boolean;
  eventCount: number;
  who: PreparedBatch;
  /** Its new events in this group. */
  events: PreparedEvent[];
}

const pairKey = (streamId: string, clientId: string) => `${streamId}\u0000${clientId}`;

/** A PostgreSQL array literal of `values`, cast to `type[]`, safe to inline (pg's escapeLiteral). */
export function sqlArray(values: readonly (string | number | boolean | null)[], type: string): string {
  const items = values.map((v) => {
    if (v === null) return "NULL";
    if (typeof v === "string") return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error("non-finite number in a batch");
    return String(v);
  });
  return `${pg.escapeLiteral(`{${items.join(",")}}`)}::${type}[]`;
}

async function writeGroup(client: pg.PoolClient, batches: PreparedBatch[]): Promise<WriteResult[]> {
  // Two round trips per group, whatever its size: under CPU contention every round trip costs a
  // scheduling delay on both sides, so statements are sent together as one simple query (values
  // inlined as escaped array literals). In READ COMMITTED each statement of a simple query takes
  // its own snapshot, so the reads after the lock statement see everything committed before it.
  const pairs = new Map<string, { streamId: string; clientId: string; key: bigint }>();
  for (const b of batches) {
    const k = pairKey(b.streamId, b.clientId);
    if (!pairs.has(k)) pairs.set(k, { streamId: b.streamId, clientId: b.clientId, key: lockKey(b.streamId, b.clientId) });
  }
  const keys = [...new Set([...pairs.values()].map((p) => p.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const list = [...pairs.values()];

  // The same (client, seq) twice in this group: the later one is a duplicate, never sent.
  const seen = new Set<string>();
  const candidates: { streamId: string; clientId: string; seq: number }[] = [];
  const sortedBatches = batches.map((b) => {
    const sorted = [...b.events].sort((x, y) => x.at - y.at || x.seq - y.seq);
    return sorted.map((e) => {
      const k = `${b.clientId}\u0000${e.seq}`;
      const dup = seen.has(k);
      if (!dup) {
        seen.add(k);
        candidates.push({ streamId: b.streamId, clientId: b.clientId, seq: e.seq });
      }
      return { e, dup };
    });
  });

  // Raw events live in PostgreSQL or ClickHouse (src/lib/db/runQuery.ts); with ClickHouse, the
  // PostgreSQL statements about events below are given nothing to look for or store.
  const pgEvents = await runQuery({ postgres: async () => true, clickhouse: async () => false });

  // Round trip 1: BEGIN; lock every viewer of the group (keys sorted: concurrent groups cannot
  // deadlock); read each viewer's latest session; find the events already stored (resent beacons).
  const [, , sessionsRes, storedRes] = (await client.query(
    `BEGIN;
     SELECT count(pg_advisory_xact_lock(k)) FROM unnest(${sqlArray(keys.map(String), "int8")}) AS k;
     SELECT v.id, v.stream_id, v.client_id, v.started_at, v.ended_at, v.event_count, v.watch_seconds,
            v.buffer_seconds, v.has_error, v.startup_ms, v.last_state, v.saw_play, v.needs_rewalk
       FROM unnest(${sqlArray(list.map((p) => p.streamId), "text")}, ${sqlArray(list.map((p) => p.clientId), "text")}) AS k(stream_id, client_id)
       CROSS JOIN LATERAL (
         SELECT * FROM viewer_sessions s
          WHERE s.stream_id = k.stream_id AND s.client_id = k.client_id
          ORDER BY s.ended_at DESC LIMIT 1) v;
     ${storedEventsSql(pgEvents ? candidates : [], sqlArray)};`,
  )) as unknown as pg.QueryResult[];
  const stored = await runQuery({
    postgres: async () => new Set(storedRes!.rows.map((r: { client_id: string; seq: number }) => `${r.client_id}\u0000${r.seq}`)),
    clickhouse: () => storedEventsClickHouse(client, candidates),
  });
  const latest = sessionsRes!.rows as SessionRow[];

  const current = new Map<string, SessionDraft>();
  for (const r of latest) {
    const endedAt = r.ended_at.getTime();
    current.set(pairKey(r.stream_id, r.client_id), {
      id: r.id,
      isNew: false,
      streamId: r.stream_id,
      clientId: r.client_id,
      startedAt: r.started_at.getTime(),
      lastAt: endedAt,
      from: {
        state: r.last_state,
        lastAt: endedAt,
        watchSeconds: r.watch_seconds,
        bufferSeconds: r.buffer_seconds,
        hasError: r.has_error,
        startupMs: r.startup_ms,
        sawPlay: r.saw_play,
      },
      exact: !r.needs_rewalk,
      eventCount: r.event_count,
      who: batches[0]!,
      events: [],
    });
  }

  // Sessions at the door: batches in arrival order, each one's new events in time order. An event
  // joins the viewer's latest session when less than 30 min after its last event, else opens one.
  const touched: SessionDraft[] = [];
  const rows: { e: PreparedEvent; session: SessionDraft }[] = [];
  batches.forEach((b, i) => {
    const k = pairKey(b.streamId, b.clientId);
    for (const { e, dup } of sortedBatches[i]!) {
      if (dup || stored.has(`${b.clientId}\u0000${e.seq}`)) continue;
      let s = current.get(k);
      if (!s || e.at - s.lastAt >= SESSION_GAP_MS || s.startedAt - e.at >= SESSION_GAP_MS) {
        s = {
          id: randomUUID(),
          isNew: true,
          streamId: b.streamId,
          clientId: b.clientId,
          startedAt: e.at,
          lastAt: e.at,
          from: initialWalkState,
          exact: true,
          eventCount: 0,
          who: b,
          events: [],
        };
        current.set(k, s);
      }
      s.lastAt = Math.max(s.lastAt, e.at);
      s.startedAt = Math.min(s.startedAt, e.at);
      if (s.events.length === 0) touched.push(s);
      s.events.push(e);
      rows.push({ e, session: s });
    }
  });

  let inserted = new Set<string>();
  if (rows.length === 0) {
    await client.query("COMMIT");
  } else {
    // The spec's state walk continues from each session's stored state over its new events only.
    // That is the walk over all its events while the new ones all come after the stored last one
    // (ties too are left to finalizing, which orders them by seq); otherwise the session is
    // flagged and finalizing walks all its events again.
    const sessionValues = touched.map((s) => {
      s.events.sort((x, y) => x.at - y.at || x.seq - y.seq);
      const w = walk(s.events.map((e) => ({ type: e.type, at: e.at, extra: e.extra ?? undefined })), s.from);
      const exact = s.exact && (s.from.lastAt === null || s.events[0]!.at > s.from.lastAt);
      return { s, w, exact };
    });
    const col = <T extends string | number | boolean | null>(f: (x: (typeof sessionValues)[number]) => T) => sessionValues.map(f);
    const eventRows = rows.map((r) => ({ ...r.e, streamId: r.session.streamId, clientId: r.session.clientId, sessionId: r.session.id }));
    // With ClickHouse: the events are written (and acknowledged by ClickHouse) before the sessions'
    // COMMIT below; nothing is answered before both.
    const chInserted = await runQuery({ postgres: async () => null, clickhouse: () => insertEventsClickHouse(eventRows) });
    // Round trip 2: every event in one statement (the keys table's ON CONFLICT DO NOTHING still
    // guards (client_id, seq) against a concurrent writer: it waits for that one's COMMIT, and only
    // events whose keys were new are inserted), every touched session in one upsert, COMMIT.
    const results = (await client.query(
      `${insertEventsSql(pgEvents ? eventRows : [], sqlArray)};
       INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
                                        event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, updated_at)
       SELECT id, s, c, to_timestamp(st), to_timestamp(en), co, dc::device_class, br, os, ec, ws, bs, he, su, ls::player_state, sp, nr, clock_timestamp()
         FROM unnest(${sqlArray(col((x) => x.s.id), "uuid")}, ${sqlArray(col((x) => x.s.streamId), "text")}, ${sqlArray(col((x) => x.s.clientId), "text")},
                     ${sqlArray(col((x) => x.s.startedAt / 1000), "float8")}, ${sqlArray(col((x) => (x.w.lastAt ?? x.s.lastAt) / 1000), "float8")},
                     ${sqlArray(col((x) => x.s.who.country), "text")}, ${sqlArray(col((x) => x.s.who.deviceClass), "text")},
                     ${sqlArray(col((x) => x.s.who.browser), "text")}, ${sqlArray(col((x) => x.s.who.os), "text")},
                     ${sqlArray(col((x) => x.s.eventCount + x.s.events.length), "int4")}, ${sqlArray(col((x) => x.w.watchSeconds), "float8")},
                     ${sqlArray(col((x) => x.w.bufferSeconds), "float8")}, ${sqlArray(col((x) => x.w.hasError), "bool")},
                     ${sqlArray(col((x) => x.w.startupMs), "int4")}, ${sqlArray(col((x) => x.w.state), "text")},
                     ${sqlArray(col((x) => x.w.sawPlay), "bool")}, ${sqlArray(col((x) => !x.exact), "bool")})
              AS u(id, s, c, st, en, co, dc, br, os, ec, ws, bs, he, su, ls, sp, nr)
       ON CONFLICT (id) DO UPDATE SET
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, event_count = EXCLUDED.event_count,
         watch_seconds = EXCLUDED.watch_seconds, buffer_seconds = EXCLUDED.buffer_seconds, has_error = EXCLUDED.has_error,
         startup_ms = EXCLUDED.startup_ms, last_state = EXCLUDED.last_state, saw_play = EXCLUDED.saw_play,
         needs_rewalk = EXCLUDED.needs_rewalk, updated_at = EXCLUDED.updated_at;
       COMMIT;`,
    )) as unknown as pg.QueryResult[];
    inserted = chInserted ?? new Set(results[0]!.rows.map((r: { client_id: string; seq: number }) => `${r.client_id}\u0000${r.seq}`));
  }

  return batches.map((b, i) => {
    const n = sortedBatches[i]!.length;
    let ingested = 0;
    for (const { e, dup } of sortedBatches[i]!) if (!dup && inserted.has(`${b.clientId}\u0000${e.seq}`)) ingested++;
    return { ingested, duplicates: n - ingested };
  });
}
