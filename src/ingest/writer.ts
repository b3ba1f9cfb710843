// The group-commit writer: batches that arrive within a few milliseconds are written in ONE
// transaction (events, sessions and all), and each caller's promise settles only after COMMIT —
// nothing is acknowledged that is not durable. Fewer, larger transactions mean fewer WAL flushes,
// which is what limits PostgreSQL on small writes.
//
// Inside the transaction, per (stream, client) of the group (sessions at the door, metrics.md):
//   1. pg_advisory_xact_lock on a hash of the pair, keys sorted so two groups cannot deadlock;
//      concurrent batches of one viewer (in this process or another) therefore take turns and
//      cannot open two sessions;
//   2. the viewer's latest session: reused when its last event is less than 30 min before the
//      event, else a new session is opened (country and device fixed then);
//   3. every event in one multi-row INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING
//      RETURNING: what comes back was new, the rest were duplicates (resent beacons);
//   4. the spec's state walk continues from each session's stored state over the new events only,
//      and all touched sessions are written by one multi-row upsert.
import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { SESSION_GAP_MS, walk, type EventType, type PlayerState, type WalkState } from "~/sessions/walk";
import type { DeviceClass } from "~/lib/detect";
import { metrics } from "~/lib/metrics";
import { insertEvents, sessionsWithPlay } from "./queries/insertEvents";

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
}

interface Pending {
  batch: PreparedBatch;
  resolve(r: WriteResult): void;
  reject(err: unknown): void;
}

export function createWriter(opts: WriterOptions): Writer {
  const windowMs = opts.windowMs ?? 2;
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
  const maxGroupEvents = opts.maxGroupEvents ?? 5000;
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
    // At the limit: the queue keeps growing and is taken as one group when a slot frees up.
    while (queue.length > 0 && inFlight < maxInFlight) {
      let n = 0;
      let events = 0;
      while (n < queue.length && (n === 0 || events + queue[n]!.batch.events.length <= maxGroupEvents)) {
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
      await client.query("BEGIN");
      let results: WriteResult[];
      try {
        results = await writeGroup(client, group.map((p) => p.batch));
        await client.query("COMMIT");
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
  eventCount: number;
  who: PreparedBatch;
  events: { e: PreparedEvent; inserted: boolean }[];
}

const pairKey = (streamId: string, clientId: string) => `${streamId}\u0000${clientId}`;

async function writeGroup(client: pg.PoolClient, batches: PreparedBatch[]): Promise<WriteResult[]> {
  // 1. Lock every viewer of the group, in one order for everybody.
  const pairs = new Map<string, { streamId: string; clientId: string; key: bigint }>();
  for (const b of batches) {
    const k = pairKey(b.streamId, b.clientId);
    if (!pairs.has(k)) pairs.set(k, { streamId: b.streamId, clientId: b.clientId, key: lockKey(b.streamId, b.clientId) });
  }
  const keys = [...new Set([...pairs.values()].map((p) => p.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await client.query({
    name: "ingest_lock",
    text: "SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::int8[]) AS k",
    values: [keys.map(String)],
  });

  // 2. Each viewer's latest session, read after the locks are held.
  const list = [...pairs.values()];
  const { rows } = await client.query<SessionRow>({
    name: "ingest_latest_sessions",
    text: `SELECT v.id, v.stream_id, v.client_id, v.started_at, v.ended_at, v.event_count, v.watch_seconds,
                  v.buffer_seconds, v.has_error, v.startup_ms, v.last_state,
                  (v.startup_ms IS NOT NULL OR EXISTS (
                     SELECT 1 FROM playback_events e WHERE e.session_id = v.id AND e.type = 'play')) AS saw_play
             FROM unnest($1::text[], $2::text[]) AS k(stream_id, client_id)
             CROSS JOIN LATERAL (
               SELECT * FROM viewer_sessions s
                WHERE s.stream_id = k.stream_id AND s.client_id = k.client_id
                ORDER BY s.ended_at DESC LIMIT 1) v`,
    values: [list.map((p) => p.streamId), list.map((p) => p.clientId)],
  });
  // With ClickHouse as the event store the EXISTS above sees no events: ask ClickHouse.
  const withPlay = await sessionsWithPlay(
    rows.filter((r) => !r.saw_play).map((r) => ({ id: r.id, streamId: r.stream_id, clientId: r.client_id })),
  );
  for (const r of rows) if (withPlay.has(r.id)) r.saw_play = true;
  const current = new Map<string, SessionDraft>();
  for (const r of rows) {
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
      eventCount: r.event_count,
      who: batches[0]!,
      events: [],
    });
  }

  // 3. Assign every event to a session (batches in arrival order, events in time order).
  const touched: SessionDraft[] = [];
  const seen = new Set<string>();
  const perBatch: { e: PreparedEvent; session: SessionDraft; inserted: boolean; dup: boolean }[][] = [];
  for (const b of batches) {
    const k = pairKey(b.streamId, b.clientId);
    const sorted = [...b.events].sort((x, y) => x.at - y.at || x.seq - y.seq);
    const out: (typeof perBatch)[number] = [];
    for (const e of sorted) {
      // The same (client, seq) twice in this group: the later one is a duplicate, never sent.
      const dupKey = `${b.clientId}\u0000${e.seq}`;
      const dup = seen.has(dupKey);
      seen.add(dupKey);
      let s = current.get(k);
      if (!s || e.at - s.lastAt >= SESSION_GAP_MS || s.startedAt - e.at >= SESSION_GAP_MS) {
        s = {
          id: randomUUID(),
          isNew: true,
          streamId: b.streamId,
          clientId: b.clientId,
          startedAt: e.at,
          lastAt: e.at,
          from: { state: "idle", lastAt: null, watchSeconds: 0, bufferSeconds: 0, hasError: false, startupMs: null, sawPlay: false },
          eventCount: 0,
          who: b,
          events: [],
        };
        current.set(k, s);
      }
      if (!dup) {
        s.lastAt = Math.max(s.lastAt, e.at);
        if (s.events.length === 0) touched.push(s);
        const entry = { e, inserted: false };
        s.events.push(entry);
        out.push({ e, session: s, inserted: false, dup });
      } else {
        out.push({ e, session: s, inserted: false, dup });
      }
    }
    perBatch.push(out);
  }

  // 4. The events, in one statement; what comes back was new (src/ingest/queries/insertEvents.ts:
  //    PostgreSQL or ClickHouse, by CLICKHOUSE_URL).
  const rowsToInsert = perBatch.flat().filter((r) => !r.dup);
  const inserted = await insertEvents(
    client,
    rowsToInsert.map((r) => ({
      streamId: r.session.streamId,
      clientId: r.session.clientId,
      sessionId: r.session.id,
      seq: r.e.seq,
      type: r.e.type,
      at: r.e.at,
      ts: r.e.ts,
      videoTime: r.e.videoTime,
      extra: r.e.extra,
    })),
  );

  // 5. Continue each touched session's walk over its new events only, then one upsert.
  const ids: string[] = [], streamIds: string[] = [], clientIds: string[] = [], starts: number[] = [], ends: number[] = [];
  const countries: string[] = [], devices: string[] = [], browsers: (string | null)[] = [], oses: (string | null)[] = [];
  const counts: number[] = [], watch: number[] = [], buffer: number[] = [], errors: boolean[] = [];
  const startups: (number | null)[] = [], states: string[] = [];
  for (const s of touched) {
    const fresh = s.events.filter((x) => inserted.has(`${s.clientId}\u0000${x.e.seq}`)).map((x) => x.e);
    if (fresh.length === 0) continue;
    fresh.sort((x, y) => x.at - y.at || x.seq - y.seq);
    const w = walk(fresh.map((e) => ({ type: e.type, at: e.at, extra: e.extra ?? undefined })), s.from);
    ids.push(s.id);
    streamIds.push(s.streamId);
    clientIds.push(s.clientId);
    starts.push(Math.min(s.startedAt, fresh[0]!.at) / 1000);
    ends.push((w.lastAt ?? s.lastAt) / 1000);
    countries.push(s.who.country);
    devices.push(s.who.deviceClass);
    browsers.push(s.who.browser);
    oses.push(s.who.os);
    counts.push(s.eventCount + fresh.length);
    watch.push(w.watchSeconds);
    buffer.push(w.bufferSeconds);
    errors.push(w.hasError);
    startups.push(w.startupMs);
    states.push(w.state);
  }
  if (ids.length > 0) {
    await client.query({
      name: "ingest_sessions",
      text: `INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
                                              event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, updated_at)
             SELECT id, s, c, to_timestamp(st), to_timestamp(en), co, dc::device_class, br, os, ec, ws, bs, he, su, ls::player_state, clock_timestamp()
               FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],
                           $10::int4[], $11::float8[], $12::float8[], $13::bool[], $14::int4[], $15::text[])
                    AS u(id, s, c, st, en, co, dc, br, os, ec, ws, bs, he, su, ls)
             ON CONFLICT (id) DO UPDATE SET
               started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, event_count = EXCLUDED.event_count,
               watch_seconds = EXCLUDED.watch_seconds, buffer_seconds = EXCLUDED.buffer_seconds, has_error = EXCLUDED.has_error,
               startup_ms = EXCLUDED.startup_ms, last_state = EXCLUDED.last_state, updated_at = EXCLUDED.updated_at`,
      values: [ids, streamIds, clientIds, starts, ends, countries, devices, browsers, oses, counts, watch, buffer, errors, startups, states],
    });
  }

  return perBatch.map((out) => {
    let ingested = 0;
    for (const r of out) if (!r.dup && inserted.has(`${r.session.clientId}\u0000${r.e.seq}`)) ingested++;
    return { ingested, duplicates: out.length - ingested };
  });
}
