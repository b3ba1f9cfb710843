// Finalizing trusts ingestion's walk only where it is exact. Sessions go through the real ingest
// core (handleIngest: validation, time correction, the group-commit writer) in batches; a session
// whose batches all came in order must hold walk()'s figures over all its events with
// needs_rewalk = false, and finalizing keeps it without reading events; a session that got a batch
// out of order (a beacon retry) or at the very time of its last event is flagged, and finalizing
// walks it. A deliberately wrong session shows which path ran: kept figures stay wrong, walked ones
// are recomputed, and --rewalk recomputes them all.
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { seededRandom } from "~/lib/random";
import { memoryRateLimiter } from "~/lib/rateLimit";
import { handleIngest, type IngestDeps, type IngestRequest } from "~/ingest/handler";
import { createStreamCache } from "~/ingest/streamCache";
import { createWriter } from "~/ingest/writer";
import type { EventType } from "~/contract";
import { walk, type WalkState } from "~/sessions/walk";
import { createStream, uid } from "~/test/factories";
import { finalizeSessions } from "./finalize";
import { aggregate } from "./job";
import { insertSession, minutesAgo, playing, randomSession } from "./walk.testkit";
import { walkSessionsInSql } from "./walkSql";

interface Ev {
  type: EventType;
  /** Event time, ms. */
  at: number;
  seq: number;
  extra?: Record<string, unknown>;
}

const deps: IngestDeps = {
  limiter: memoryRateLimiter({ limit: 1_000_000, secret: "s" }),
  streams: createStreamCache({ pool: getPool }),
  writer: createWriter({ pool: getPool }),
};

/** One batch through the ingest door, received 1 s after its last event (sentAt = receive time). */
async function send(streamId: string, clientId: string, events: Ev[], receivedAt = Math.max(...events.map((e) => e.at)) + 1000) {
  const body = Buffer.from(
    JSON.stringify({
      streamId,
      clientId,
      sentAt: receivedAt,
      events: events.map((e) => ({ type: e.type, ts: e.at, videoTime: 0, seq: e.seq, ...(e.extra ? { extra: e.extra } : {}) })),
    }),
  );
  const headers: Record<string, string> = {
    "content-type": "text/plain;charset=UTF-8",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  };
  const req: IngestRequest = { method: "POST", header: (n) => headers[n.toLowerCase()] ?? null, socketAddress: "192.0.2.10", readBody: async () => body };
  const res = await handleIngest(req, { ...deps, now: () => receivedAt });
  expect(res.status, res.body).toBe(202);
  expect(JSON.parse(res.body)).toEqual({ ingested: events.length, duplicates: 0 });
}

/** A random session (walkSql.test.ts's generator, values the door accepts) in walk order: time, then seq. */
function randomEvents(r: () => number, base: number): Ev[] {
  return randomSession(r, { door: true })
    .map((e, i) => ({ type: e.type, at: base + Math.round(e.t * 1000), extra: e.extra, i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e, i) => ({ type: e.type, at: e.at, extra: e.extra, seq: i + 1 }));
}

/** Cuts the events into batches at random, only where the next event is strictly later. */
function randomBatches(r: () => number, events: Ev[], share = 0.3): Ev[][] {
  const batches: Ev[][] = [[events[0]!]];
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at > events[i - 1]!.at && r() < share) batches.push([]);
    batches[batches.length - 1]!.push(events[i]!);
  }
  return batches;
}

const reference = (events: Ev[]) => walk([...events].sort((a, b) => a.at - b.at || a.seq - b.seq));

async function sessionOf(streamId: string, clientId: string) {
  const { rows } = await getPool().query("SELECT * FROM viewer_sessions WHERE stream_id = $1 AND client_id = $2", [streamId, clientId]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** The stored figures are walk()'s over all events (watch and buffer seconds to the millisecond). */
function expectWalked(row: Record<string, unknown>, events: Ev[], ref: WalkState = reference(events), label = "") {
  const ats = events.map((e) => e.at);
  expect(row.event_count, label).toBe(events.length);
  expect((row.started_at as Date).getTime(), label).toBe(Math.min(...ats));
  expect((row.ended_at as Date).getTime(), label).toBe(Math.max(...ats));
  expect(Math.abs((row.watch_seconds as number) - ref.watchSeconds), `${label} watch ${row.watch_seconds} vs ${ref.watchSeconds}`).toBeLessThan(0.001);
  expect(Math.abs((row.buffer_seconds as number) - ref.bufferSeconds), `${label} buffer`).toBeLessThan(0.001);
  expect(row.has_error, label).toBe(ref.hasError);
  expect(row.startup_ms, label).toBe(ref.startupMs);
  expect(row.last_state, label).toBe(ref.state);
  expect(row.saw_play, label).toBe(ref.sawPlay);
}

const cutoff = () => new Date(Date.now() - 30 * 60_000);
// Three hours ago on a whole second: every session here (at most ~47 min long) is silent for 30 min.
const base = () => Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000;

describe("finalizing keeps exact walks and walks the rest", () => {
  it("sessions sent in order in random batches are exact (walk() over all events); finalize keeps them, equal to a WALK_SQL re-walk", async () => {
    const stream = await createStream();
    const r = seededRandom(20261125);
    const t0 = base();
    const cases: { clientId: string; events: Ev[] }[] = [];
    let batchesSent = 0;
    for (let i = 0; i < 60; i++) {
      const events = randomEvents(r, t0 + i * 1000);
      const clientId = uid("viewer");
      for (const batch of randomBatches(r, events)) {
        await send(stream.id, clientId, batch);
        batchesSent++;
      }
      cases.push({ clientId, events });
    }
    expect(batchesSent).toBeGreaterThan(120); // most sessions came in several batches

    const ids: string[] = [];
    const before = new Map<string, Record<string, unknown>>();
    for (const c of cases) {
      const row = await sessionOf(stream.id, c.clientId);
      expect(row.needs_rewalk, c.clientId).toBe(false);
      expectWalked(row, c.events, undefined, c.clientId);
      ids.push(row.id);
      before.set(row.id, row);
    }

    const res = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(res).toEqual({ sessions: 60, walked: 0, kept: 60, events: 0, splits: 0 });

    const walked = new Map((await walkSessionsInSql(getPool(), ids)).map((w) => [w.sessionId, w]));
    const { rows } = await getPool().query("SELECT * FROM viewer_sessions WHERE id = ANY($1::uuid[])", [ids]);
    expect(rows).toHaveLength(60);
    for (const row of rows) {
      const w = walked.get(row.id)!;
      const prev = before.get(row.id)!;
      expect(row.finalized_at).toBeInstanceOf(Date);
      // Kept as ingestion left them…
      for (const k of ["watch_seconds", "buffer_seconds", "event_count", "started_at", "ended_at", "startup_ms", "last_state", "saw_play", "has_error"]) {
        expect(row[k], k).toEqual(prev[k]);
      }
      // …and that is what walking all events in SQL gives.
      expect(Math.abs(row.watch_seconds - w.watchSeconds)).toBeLessThan(0.001);
      expect(Math.abs(row.buffer_seconds - w.bufferSeconds)).toBeLessThan(0.001);
      expect(row).toMatchObject({ event_count: w.eventCount, has_error: w.hasError, startup_ms: w.startupMs, last_state: w.lastState, saw_play: w.sawPlay });
      expect(row.started_at.getTime()).toBe(w.firstAt.getTime());
      expect(row.ended_at.getTime()).toBe(w.lastAt.getTime());
    }
  });

  it("a batch arriving after a later one (beacon retry) flags the session; finalize walks it to walk()'s figures and clears the flag", async () => {
    const stream = await createStream();
    const r = seededRandom(7031);
    const t0 = base();
    const cases: { clientId: string; events: Ev[] }[] = [];
    while (cases.length < 20) {
      const events = randomEvents(r, t0);
      const batches = randomBatches(r, events, 0.4);
      if (batches.length < 3) continue;
      const clientId = uid("viewer");
      // The second batch is lost and retried after all the others.
      for (const b of [batches[0]!, ...batches.slice(2), batches[1]!]) await send(stream.id, clientId, b, Math.max(...events.map((e) => e.at)) + 5000);
      cases.push({ clientId, events });
    }
    let provisionalOff = 0;
    for (const c of cases) {
      const row = await sessionOf(stream.id, c.clientId);
      expect(row.needs_rewalk, c.clientId).toBe(true);
      const ref = reference(c.events);
      if (Math.abs(row.watch_seconds - ref.watchSeconds) > 0.001 || row.last_state !== ref.state || row.started_at.getTime() !== c.events[0]!.at) provisionalOff++;
    }
    // The retries left provisional figures that are off (else this test would prove nothing).
    expect(provisionalOff).toBeGreaterThan(5);

    const res = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(res).toMatchObject({ sessions: 20, walked: 20, kept: 0, splits: 0, events: cases.reduce((n, c) => n + c.events.length, 0) });
    for (const c of cases) {
      const row = await sessionOf(stream.id, c.clientId);
      expectWalked(row, c.events, undefined, c.clientId);
      expect(row.needs_rewalk).toBe(false);
      expect(row.finalized_at).toBeInstanceOf(Date);
    }
  });

  it("an event at exactly the stored last event's time flags the session; one a millisecond later does not", async () => {
    const stream = await createStream();
    const t0 = base();
    const tie = uid("viewer");
    const later = uid("viewer");
    const first: Ev[] = [{ type: "play", at: t0, seq: 1 }, { type: "heartbeat", at: t0 + 15_000, seq: 2 }];
    // Same time as the stored last event; the walk orders the two by seq, which ingestion does not see.
    const tieBatch: Ev[] = [{ type: "pause", at: t0 + 15_000, seq: 3 }, { type: "play", at: t0 + 20_000, seq: 4 }, { type: "heartbeat", at: t0 + 35_000, seq: 5 }];
    const laterBatch: Ev[] = tieBatch.map((e, i) => (i === 0 ? { ...e, at: e.at + 1 } : e));
    await send(stream.id, tie, first);
    await send(stream.id, tie, tieBatch);
    await send(stream.id, later, first);
    await send(stream.id, later, laterBatch);
    expect((await sessionOf(stream.id, tie)).needs_rewalk).toBe(true);
    const exact = await sessionOf(stream.id, later);
    expect(exact.needs_rewalk).toBe(false);
    expectWalked(exact, [...first, ...laterBatch]);

    const res = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(res).toMatchObject({ sessions: 2, walked: 1, kept: 1 });
    const walkedRow = await sessionOf(stream.id, tie);
    expectWalked(walkedRow, [...first, ...tieBatch]);
    expect(walkedRow.needs_rewalk).toBe(false);
  });

  it("late events on a finalized session: in order it stays exact and is kept, out of order it is walked", async () => {
    const stream = await createStream();
    const t0 = base();
    const inOrder = uid("viewer");
    const outOfOrder = uid("viewer");
    const first: Ev[] = [{ type: "play", at: t0, seq: 1 }, ...[1, 2, 3, 4].map((k) => ({ type: "heartbeat" as const, at: t0 + k * 15_000, seq: 1 + k }))];
    await send(stream.id, inOrder, first);
    await send(stream.id, outOfOrder, first);
    expect(await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] })).toMatchObject({ kept: 2, walked: 0 });

    const since = new Date();
    await new Promise((res) => setTimeout(res, 5));
    // Retried an hour later: two heartbeats after the last event, and a pause from the middle.
    const appended: Ev[] = [{ type: "heartbeat", at: t0 + 75_000, seq: 6 }, { type: "heartbeat", at: t0 + 90_000, seq: 7 }];
    const middle: Ev[] = [{ type: "pause", at: t0 + 32_000, seq: 6 }];
    await send(stream.id, inOrder, appended, t0 + 3600_000);
    await send(stream.id, outOfOrder, middle, t0 + 3600_000);
    expect((await sessionOf(stream.id, inOrder)).needs_rewalk).toBe(false);
    const flagged = await sessionOf(stream.id, outOfOrder);
    expect(flagged.needs_rewalk).toBe(true);
    // Ingestion's continued walk is off here: the pause came "after" 60 s of playing.
    expect(flagged.watch_seconds).toBe(60);

    const res = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id], since });
    expect(res).toMatchObject({ sessions: 2, kept: 1, walked: 1, events: 6 });
    expectWalked(await sessionOf(stream.id, inOrder), [...first, ...appended]);
    const walkedRow = await sessionOf(stream.id, outOfOrder);
    // play 0, heartbeats 15 and 30, pause 32 (watch 32 s), heartbeat 45 (a lost play), 60: 47 s.
    expect(walkedRow.watch_seconds).toBe(47);
    expectWalked(walkedRow, [...first, ...middle]);
    expect(walkedRow.finalized_at.getTime()).toBeGreaterThan(since.getTime());
  });

  it("a session with needs_rewalk = false is kept as it is, wrong figures and all (no event read); flagged, it is recomputed", async () => {
    const stream = await createStream();
    const events = playing(60, 0, 700);
    const wrong = { watchSeconds: 999, bufferSeconds: 3 };
    const trusted = await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events, provisional: wrong });
    const flagged = await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events, provisional: wrong });
    await getPool().query("UPDATE viewer_sessions SET needs_rewalk = false WHERE id = $1", [trusted]);

    const res = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(res).toEqual({ sessions: 2, walked: 1, kept: 1, events: 5, splits: 0 });
    const { rows } = await getPool().query("SELECT * FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    const byId = new Map(rows.map((s) => [s.id, s]));
    expect(byId.get(trusted)).toMatchObject({ watch_seconds: 999, buffer_seconds: 3, needs_rewalk: false });
    expect(byId.get(trusted).finalized_at).toBeInstanceOf(Date);
    expect(byId.get(flagged)).toMatchObject({ watch_seconds: 60, buffer_seconds: 0, startup_ms: 700, needs_rewalk: false });
  });

  it("--rewalk walks exact sessions too; with --full it re-finalizes finalized ones from their events", async () => {
    const stream = await createStream();
    const events = playing(60, 0, 700);
    const wrong = { watchSeconds: 999, bufferSeconds: 3 };
    const open = await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events, provisional: wrong });
    const closed = await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(150), events, provisional: wrong });
    await getPool().query("UPDATE viewer_sessions SET needs_rewalk = false WHERE id = ANY($1::uuid[])", [[open, closed]]);
    const watch = async (id: string) => (await getPool().query("SELECT watch_seconds FROM viewer_sessions WHERE id = $1", [id])).rows[0].watch_seconds;

    // `closed` is finalized as kept: wrong; a full run without --rewalk leaves it so.
    expect(await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id], batchSize: 1 })).toMatchObject({ kept: 2 });
    await getPool().query("UPDATE viewer_sessions SET finalized_at = NULL WHERE id = $1", [open]);
    const plain = await aggregate({ progress: () => {} }, { streamIds: [stream.id], full: true });
    expect(plain).toMatchObject({ rewalk: false, walkedSessions: 0, keptSessions: 1, finalizedSessions: 1 });
    expect(await watch(closed)).toBe(999);
    expect(await watch(open)).toBe(999);
    const stats = async () => (await getPool().query("SELECT own_watch_seconds FROM stream_stats WHERE stream_id = $1", [stream.id])).rows[0].own_watch_seconds;
    expect(await stats()).toBe(999 * 2);

    // --rewalk (not full): every session being finalized is walked, finalized ones are not touched.
    await getPool().query("UPDATE viewer_sessions SET finalized_at = NULL, updated_at = now() WHERE id = $1", [open]);
    const rewalked = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id], rewalk: true });
    expect(rewalked).toEqual({ sessions: 1, walked: 1, kept: 0, events: 5, splits: 0 });
    expect(await watch(open)).toBe(60);
    expect(await watch(closed)).toBe(999);

    // --full --rewalk: every closed session, finalized or not, from its events; the stats follow.
    const full = await aggregate({ progress: () => {} }, { streamIds: [stream.id], full: true, rewalk: true });
    expect(full).toMatchObject({ rewalk: true, walkedSessions: 2, keptSessions: 0, finalizedSessions: 2, walkedEvents: 10 });
    expect(await watch(closed)).toBe(60);
    expect(await stats()).toBe(120);
  });
});
