// Sessions at the door (docs/metrics.md "Sessions"): which session each of a group's new events
// joins. Pure: ingestion's writer (src/ingest/writer.ts) reads each viewer's latest session and the
// events stored already, then asks this module; the rules live here alone, so changing them means
// changing (and testing) this file.
//
// The rules, for the group's batches in arrival order and each batch's events by (time, seq):
//   - an event whose (clientId, seq) came earlier in the group, or is stored already, is skipped;
//   - a viewer is a (streamId, clientId); an event joins the viewer's current session (the one with
//     the latest end: its latest stored one, or one opened in this group after it) when it lies less than 30 min after that
//     session's last event and less than 30 min before its start; otherwise it opens a new session,
//     which becomes the viewer's current one;
//   - a session's figures stay exact (walked over all its events in order) while it is new, or was
//     exact and every new event comes strictly after its stored last event;
//   - these sessions are provisional when events come out of order: a viewer given an event earlier
//     than its latest one (stored, or earlier in the group) is flagged with the span of such events,
//     and the aggregation job re-sessionizes it (src/aggregation/resessionize.ts): merges what is
//     now less than 30 min apart, splits what is 30 min or more apart, walks the figures again.
import { eventKey, SESSION_GAP_MS } from "~/contract";

export interface AssignEvent {
  /** Corrected server time, ms. */
  at: number;
  seq: number;
}

export interface AssignBatch<E extends AssignEvent = AssignEvent> {
  streamId: string;
  clientId: string;
  events: readonly E[];
}

/** A viewer's latest stored session, as far as assigning needs it. */
export interface LatestSession {
  id: string;
  streamId: string;
  clientId: string;
  /** ms */
  startedAt: number;
  /** Its last event, ms. */
  endedAt: number;
  /** Its stored figures are the walk over all its events (needs_rewalk false). */
  exact: boolean;
}

/** The events a batch type carries. */
export type EventOf<B extends AssignBatch> = B["events"][number];

export interface AssignedSession<B extends AssignBatch, S extends LatestSession> {
  id: string;
  streamId: string;
  clientId: string;
  /** The stored session the events join; null for a session opened by this group. */
  stored: S | null;
  /** The batch whose event opened the session; null for a stored one. */
  openedBy: B | null;
  /** The batch that delivered its earliest new event (by time, then seq): its country and device are the session's when that event is its earliest. */
  earliestBy: B | null;
  /** Earliest event, stored ones included, ms. */
  startedAt: number;
  /** Latest event, stored ones included, ms. */
  lastAt: number;
  /** The session's walk may continue from its stored state over `events` (see the rules above). */
  exact: boolean;
  /** Its new events, by (time, seq). */
  events: EventOf<B>[];
}

/** A viewer given events earlier than its latest one: `from`..`to` spans those events, ms. */
export interface ViewerFlag {
  streamId: string;
  clientId: string;
  from: number;
  to: number;
}

export interface Assignment<B extends AssignBatch, S extends LatestSession> {
  /** Sessions given new events, in the order first given one. */
  sessions: AssignedSession<B, S>[];
  /** Viewers whose sessions the job must re-sessionize, each once. */
  flags: ViewerFlag[];
  /** Every new event with its session and its batch's index, in the order assigned. */
  events: { event: EventOf<B>; batch: number; session: AssignedSession<B, S> }[];
}

const byTimeThenSeq = (x: AssignEvent, y: AssignEvent) => x.at - y.at || x.seq - y.seq;
const viewerKey = (streamId: string, clientId: string) => `${streamId}\u0000${clientId}`;

/** The group's viewers, each once, in arrival order. */
export function viewersOf(batches: readonly { streamId: string; clientId: string }[]): { streamId: string; clientId: string }[] {
  const viewers = new Map<string, { streamId: string; clientId: string }>();
  for (const b of batches) {
    const k = viewerKey(b.streamId, b.clientId);
    if (!viewers.has(k)) viewers.set(k, { streamId: b.streamId, clientId: b.clientId });
  }
  return [...viewers.values()];
}

/**
 * The group's events in assignment order (batches in arrival order, each one's events by time, then
 * seq), each (clientId, seq) once: its first occurrence. Ingestion asks the stores about these.
 */
export function distinctEvents<B extends AssignBatch>(batches: readonly B[]): { event: EventOf<B>; batch: number; clientId: string; streamId: string }[] {
  const seen = new Set<string>();
  const out: { event: EventOf<B>; batch: number; clientId: string; streamId: string }[] = [];
  batches.forEach((b, i) => {
    for (const e of [...b.events].sort(byTimeThenSeq)) {
      const k = eventKey(b.clientId, e.seq);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ event: e, batch: i, clientId: b.clientId, streamId: b.streamId });
    }
  });
  return out;
}

/**
 * Assigns the group's new events to sessions. `latest`: each viewer's latest stored session (at most
 * one per viewer); `stored`: eventKey()s stored already; `newId`: the id of each session opened.
 */
export function assignSessions<B extends AssignBatch, S extends LatestSession>(input: {
  batches: readonly B[];
  latest: readonly S[];
  stored: ReadonlySet<string>;
  newId: () => string;
}): Assignment<B, S> {
  type Session = AssignedSession<B, S>;
  const current = new Map<string, Session>();
  for (const s of input.latest) {
    current.set(viewerKey(s.streamId, s.clientId), {
      id: s.id,
      streamId: s.streamId,
      clientId: s.clientId,
      stored: s,
      openedBy: null,
      earliestBy: null,
      startedAt: s.startedAt,
      lastAt: s.endedAt,
      exact: s.exact,
      events: [],
    });
  }

  // Each viewer's latest event so far (its latest stored session ends there).
  const latestAt = new Map<string, number>();
  for (const s of input.latest) latestAt.set(viewerKey(s.streamId, s.clientId), s.endedAt);
  const flags = new Map<string, ViewerFlag>();
  const earliest = new Map<Session, AssignEvent>();

  const sessions: Session[] = [];
  const events: Assignment<B, S>["events"] = [];
  for (const { event: e, batch, streamId, clientId } of distinctEvents(input.batches)) {
    if (input.stored.has(eventKey(clientId, e.seq))) continue;
    const k = viewerKey(streamId, clientId);
    const latest = latestAt.get(k);
    if (latest !== undefined && e.at < latest) {
      const f = flags.get(k);
      if (f) {
        f.from = Math.min(f.from, e.at);
        f.to = Math.max(f.to, e.at);
      } else flags.set(k, { streamId, clientId, from: e.at, to: e.at });
    }
    latestAt.set(k, Math.max(latest ?? e.at, e.at));
    let s = current.get(k);
    if (!s || e.at - s.lastAt >= SESSION_GAP_MS || s.startedAt - e.at >= SESSION_GAP_MS) {
      const latest = s;
      s = { id: input.newId(), streamId, clientId, stored: null, openedBy: input.batches[batch]!, earliestBy: null, startedAt: e.at, lastAt: e.at, exact: true, events: [] };
      // The viewer's current session stays the one with the latest end: a late event's new
      // session must not take in-order events that belong after the latest one.
      if (!latest || e.at >= latest.lastAt) current.set(k, s);
    }
    s.lastAt = Math.max(s.lastAt, e.at);
    s.startedAt = Math.min(s.startedAt, e.at);
    const first = earliest.get(s);
    if (!first || byTimeThenSeq(e, first) < 0) {
      earliest.set(s, e);
      s.earliestBy = input.batches[batch]!;
    }
    if (s.events.length === 0) sessions.push(s);
    s.events.push(e);
    events.push({ event: e, batch, session: s });
  }

  for (const s of sessions) {
    s.events.sort(byTimeThenSeq);
    // Ties with the stored last event are left to finalizing too (it orders them by seq).
    if (s.stored) s.exact = s.stored.exact && s.events[0]!.at > s.stored.endedAt;
  }
  return { sessions, flags: [...flags.values()], events };
}
