// The group-commit writer: batches that arrive within a few milliseconds are written in ONE
// transaction (events, sessions and all), and each caller's promise settles only after COMMIT —
// nothing is acknowledged that is not durable. Fewer, larger transactions mean fewer WAL flushes,
// which is what limits PostgreSQL on small writes.
//
// Inside the transaction, two round trips whatever the group's size (sessions at the door, metrics.md):
//   1. BEGIN; pg_advisory_xact_lock on a hash of each (stream, client), keys sorted so two groups
//      cannot deadlock (concurrent batches of one viewer, in this process or another, take turns
//      and cannot open two sessions); each viewer's latest session; which events are stored already
//      (resent beacons: their (client_id, seq) is in playback_event_keys) (queries/sessions.ts,
//      queries/insertEvents.ts);
//   then in memory: the new events are assigned to sessions by the 30-min rule (src/sessions/assign.ts;
//      country and device fixed when a session opens), and the spec's state walk continues from each
//      session's stored state over its new events only;
//   2. every event's (client_id, seq) into playback_event_keys ON CONFLICT DO NOTHING and, in the
//      same statement, the events whose keys were new into playback_events, RETURNING (what comes
//      back is what the answers count); every touched session in one upsert; the viewers given an
//      event earlier than their latest one flagged for the job to re-sessionize
//      (viewer_session_flags: the door's sessions are provisional, the job's exact); COMMIT. (With
//      ClickHouse as the event store, the keys only; the claimed events go to ClickHouse, then COMMIT.)
// If the database refuses a batch's data (SQLSTATE classes 22/23), the group's batches are written
// again one by one: only the culprit is refused (BatchRefused), the others are stored.
// playback_events is partitioned by month and cannot hold UNIQUE (client_id, seq): the small keys
// table (pruned after 48 h by the partitions job; older events are refused anyway) does the dedup.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { eventKey, type DeviceClass, type EventType } from "~/contract";
import { assignSessions, distinctEvents, viewersOf, type Assignment, type LatestSession } from "~/sessions/assign";
import { initialWalkState, walk, type WalkState } from "~/sessions/walk";
import { log } from "~/lib/log";
import { metrics } from "~/lib/metrics";
import { eventStore } from "~/lib/db/runQuery";
import { withTransaction } from "~/lib/db/transaction";
import { claimEventKeysSql, insertEventsClickHouse, insertEventsSql, storedEventsSql } from "./queries/insertEvents";
import { flagViewersSql, latestSessionsSql, lockViewersSql, upsertSessionsSql, type SessionRow, type SessionUpsert } from "./queries/sessions";

export { sqlArray } from "~/lib/db/sqlArray";

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

  // BEGIN … COMMIT travel inside writeGroup's statements (two round trips a group).
  const transaction = (batches: PreparedBatch[]) =>
    withTransaction(opts.pool(), (client) => writeGroup(client, batches), { inlineBeginCommit: true });

  async function runGroup(group: Pending[]) {
    const started = performance.now();
    try {
      const results = await transaction(group.map((p) => p.batch));
      metrics.groupBatches.observe(group.length);
      metrics.commitDuration.observe((performance.now() - started) / 1000);
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (isDataRefusal(err)) await oneByOne(group, err);
      else for (const p of group) p.reject(err);
    }
  }

  // The database refused some batch's data, which rolled the whole group back: each batch is
  // written again in a transaction of its own, so only the culprit is refused and the others are
  // stored and acknowledged.
  async function oneByOne(group: Pending[], err: pg.DatabaseError) {
    if (group.length === 1) return group[0]!.reject(new BatchRefused(err));
    log.warn({ code: err.code, batches: group.length }, "ingest: the database refused a group's data; writing its batches one by one");
    for (const p of group) {
      try {
        p.resolve((await transaction([p.batch]))[0]!);
      } catch (e) {
        p.reject(isDataRefusal(e) ? new BatchRefused(e) : e);
      }
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

// ---------------------------------------------------------------- refusals

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the data, not the database. */
function isDataRefusal(err: unknown): err is pg.DatabaseError {
  return err instanceof pg.DatabaseError && /^2[23]/.test(err.code ?? "");
}

/** The database refused this batch's own data (it was written alone): the batch is refused, not retried. */
export class BatchRefused extends Error {
  readonly code: string;
  readonly constraint: string | undefined;
  readonly column: string | undefined;
  /** PostgreSQL's context ("JSON data, line 1: …" for a jsonb refusal). */
  readonly where: string | undefined;
  constructor(cause: pg.DatabaseError) {
    super(cause.message, { cause });
    this.name = "BatchRefused";
    this.code = cause.code ?? "";
    this.constraint = cause.constraint;
    this.column = cause.column;
    this.where = cause.where;
  }
}

// ---------------------------------------------------------------- the transaction

/** A viewer's latest session as stored: what assigning needs, plus where its walk continues from. */
interface StoredSession extends LatestSession {
  eventCount: number;
  from: WalkState;
}

function storedSession(r: SessionRow): StoredSession {
  const endedAt = r.ended_at.getTime();
  return {
    id: r.id,
    streamId: r.stream_id,
    clientId: r.client_id,
    startedAt: r.started_at.getTime(),
    endedAt,
    exact: !r.needs_rewalk,
    eventCount: r.event_count,
    from: {
      state: r.last_state,
      lastAt: endedAt,
      watchSeconds: r.watch_seconds,
      bufferSeconds: r.buffer_seconds,
      hasError: r.has_error,
      startupMs: r.startup_ms,
      sawPlay: r.saw_play,
    },
  };
}

type GroupAssignment = Assignment<PreparedBatch, StoredSession>;

/**
 * The spec's state walk continues from each touched session's stored state over its new events
 * only; with the assignment's `exact` flag, that is the walk over all its events (otherwise
 * finalizing walks them all again). Returns each session's row for the upsert.
 */
function walkSessions(assignment: GroupAssignment, batches: readonly PreparedBatch[]): SessionUpsert[] {
  return assignment.sessions.map((s) => {
    const w = walk(s.events.map((e) => ({ type: e.type, at: e.at, extra: e.extra ?? undefined })), s.stored?.from ?? initialWalkState);
    // A session's country and device are those of the batch that delivered its earliest event: the
    // batch of its earliest new event, which the upsert keeps only if that event is earlier than
    // the stored session's start (metrics.md "Sessions").
    const who = s.earliestBy ?? s.openedBy ?? batches[0]!;
    return {
      id: s.id,
      streamId: s.streamId,
      clientId: s.clientId,
      startedAt: s.startedAt,
      endedAt: w.lastAt ?? s.lastAt,
      country: who.country,
      deviceClass: who.deviceClass,
      browser: who.browser,
      os: who.os,
      eventCount: (s.stored?.eventCount ?? 0) + s.events.length,
      watchSeconds: w.watchSeconds,
      bufferSeconds: w.bufferSeconds,
      hasError: w.hasError,
      startupMs: w.startupMs,
      lastState: w.state,
      sawPlay: w.sawPlay,
      needsRewalk: !s.exact,
    };
  });
}

/** Each batch's answer: its events stored by this group; the rest (in-group repeats, stored before) are duplicates. */
function answers(batches: readonly PreparedBatch[], assignment: GroupAssignment, inserted: ReadonlySet<string>): WriteResult[] {
  const ingested = batches.map(() => 0);
  for (const { event, batch } of assignment.events) if (inserted.has(eventKey(batches[batch]!.clientId, event.seq))) ingested[batch]!++;
  return batches.map((b, i) => ({ ingested: ingested[i]!, duplicates: b.events.length - ingested[i]! }));
}

async function writeGroup(client: pg.ClientBase, batches: PreparedBatch[]): Promise<WriteResult[]> {
  // Two round trips per group, whatever its size: under CPU contention every round trip costs a
  // scheduling delay on both sides, so statements are sent together as one simple query (values
  // inlined as escaped array literals). In READ COMMITTED each statement of a simple query takes
  // its own snapshot, so the reads after the lock statement see everything committed before it.
  const viewers = viewersOf(batches);
  // The same (client, seq) twice in this group: the later one is a duplicate, never sent.
  const candidates = distinctEvents(batches).map((d) => ({ streamId: d.streamId, clientId: d.clientId, seq: d.event.seq }));

  // Round trip 1: BEGIN; lock every viewer of the group; read each viewer's latest session; find the
  // events already stored (resent beacons) by their keys in playback_event_keys, the dedup
  // authority whichever store holds the raw events.
  const [, , sessionsRes, storedRes] = (await client.query(
    `BEGIN;
     ${lockViewersSql(viewers)};
     ${latestSessionsSql(viewers)};
     ${storedEventsSql(candidates)};`,
  )) as unknown as pg.QueryResult[];
  const stored = new Set(storedRes!.rows.map((r: { client_id: string; seq: number }) => eventKey(r.client_id, r.seq)));

  // Sessions at the door (src/sessions/assign.ts), then the walk over each session's new events.
  const assignment: GroupAssignment = assignSessions({
    batches,
    latest: (sessionsRes!.rows as SessionRow[]).map(storedSession),
    stored,
    newId: randomUUID,
  });
  if (assignment.events.length === 0) {
    await client.query("COMMIT");
    return answers(batches, assignment, new Set());
  }
  const sessions = walkSessions(assignment, batches);
  const eventRows = assignment.events.map(({ event, session }) => ({ ...event, streamId: session.streamId, clientId: session.clientId, sessionId: session.id }));
  // Round trip 2: every event's key claimed in playback_event_keys and, on PostgreSQL, the events
  // whose keys were new, in one statement (ON CONFLICT DO NOTHING still guards (client_id, seq)
  // against a concurrent writer: it waits for that one's COMMIT); every touched session in one
  // upsert; COMMIT. With ClickHouse (src/lib/db/runQuery.ts) the claimed events are written there
  // before the COMMIT: if the COMMIT then fails, their keys roll back with the sessions, so the
  // resend claims and writes them again (ReplacingMergeTree keeps one copy) and is counted, never
  // answered as a duplicate. Nothing is answered before both.
  const clickhouse = eventStore() === "clickhouse";
  const results = (await client.query(
    `${clickhouse ? claimEventKeysSql(eventRows) : insertEventsSql(eventRows)};
       ${upsertSessionsSql(sessions)};
       ${assignment.flags.length ? `${flagViewersSql(assignment.flags)};` : ""}
       ${clickhouse ? "" : "COMMIT;"}`,
  )) as unknown as pg.QueryResult[];
  const inserted = new Set(results[0]!.rows.map((r: { client_id: string; seq: number }) => eventKey(r.client_id, r.seq)));
  if (clickhouse) {
    await insertEventsClickHouse(eventRows.filter((r) => inserted.has(eventKey(r.clientId, r.seq))));
    await client.query("COMMIT");
  }
  return answers(batches, assignment, inserted);
}
