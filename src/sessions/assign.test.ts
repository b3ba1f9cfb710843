import { describe, expect, it } from "vitest";
import { SESSION_GAP_MS, eventKey } from "~/contract";
import { seededRandom } from "~/lib/random";
import { assignSessions, distinctEvents, viewersOf, type AssignBatch, type AssignEvent, type LatestSession } from "./assign";

const T0 = Date.UTC(2026, 10, 1, 12);
const MIN = 60_000;

type Ev = AssignEvent & { tag?: string };
type Batch = AssignBatch<Ev>;

const batch = (clientId: string, events: [seq: number, minutes: number][], streamId = "s1"): Batch => ({
  streamId,
  clientId,
  events: events.map(([seq, m]) => ({ seq, at: T0 + m * MIN })),
});

const stored = (over: Partial<LatestSession> = {}): LatestSession => ({
  id: "stored",
  streamId: "s1",
  clientId: "viewer-1",
  startedAt: T0,
  endedAt: T0 + 10 * MIN,
  exact: true,
  ...over,
});

function ids() {
  let n = 0;
  return () => `new-${++n}`;
}

function assign(batches: Batch[], latest: LatestSession[] = [], storedKeys: string[] = []) {
  return assignSessions({ batches, latest, stored: new Set(storedKeys), newId: ids() });
}

/** Each session as [id, seqs of its new events in walk order]. */
const shape = (a: ReturnType<typeof assign>) => a.sessions.map((s) => [s.id, s.events.map((e) => e.seq)]);

describe("assignSessions", () => {
  it("one batch: a viewer's events within 30 min of each other form one new session, sorted by time then seq", () => {
    const a = assign([batch("viewer-1", [[3, 2], [1, 0], [2, 2], [4, 29]])]);
    expect(shape(a)).toEqual([["new-1", [1, 2, 3, 4]]]);
    const [s] = a.sessions;
    expect(s).toMatchObject({ stored: null, streamId: "s1", clientId: "viewer-1", startedAt: T0, lastAt: T0 + 29 * MIN, exact: true });
    expect(a.events.map((e) => [e.event.seq, e.batch, e.session.id])).toEqual([
      [1, 0, "new-1"],
      [2, 0, "new-1"],
      [3, 0, "new-1"],
      [4, 0, "new-1"],
    ]);
  });

  it("two batches of one viewer in one group join one session, opened by the first; other viewers get their own", () => {
    const first = batch("viewer-1", [[1, 0], [2, 1]]);
    const other = batch("viewer-2", [[1, 0]]);
    const otherStream = batch("viewer-1", [[9, 0]], "s2");
    const second = batch("viewer-1", [[3, 2], [4, 0.5]]);
    const a = assign([first, other, otherStream, second]);
    expect(shape(a)).toEqual([
      ["new-1", [1, 4, 2, 3]],
      ["new-2", [1]],
      ["new-3", [9]],
    ]);
    expect(a.sessions[0]!.openedBy).toBe(first);
    expect(a.sessions[1]!.openedBy).toBe(other);
    expect(a.events.filter((e) => e.session.id === "new-1").map((e) => e.batch)).toEqual([0, 0, 3, 3]);
  });

  it("a gap of exactly 30 min opens a new session; one millisecond less does not", () => {
    const a = assign([batch("viewer-1", [[1, 0], [2, 30], [3, 59]])]);
    expect(shape(a)).toEqual([
      ["new-1", [1]],
      ["new-2", [2, 3]],
    ]);
    // Against the stored session's last event too.
    const latest = stored({ endedAt: T0 });
    const exactGap = assign([{ streamId: "s1", clientId: "viewer-1", events: [{ seq: 1, at: T0 + SESSION_GAP_MS }] }], [latest]);
    expect(shape(exactGap)).toEqual([["new-1", [1]]]);
    const justUnder = assign([{ streamId: "s1", clientId: "viewer-1", events: [{ seq: 1, at: T0 + SESSION_GAP_MS - 1 }] }], [latest]);
    expect(shape(justUnder)).toEqual([["stored", [1]]]);
    expect(justUnder.sessions[0]).toMatchObject({ stored: latest, openedBy: null, startedAt: T0, lastAt: T0 + SESSION_GAP_MS - 1, exact: true });
  });

  it("an event before the session's start joins it when less than 30 min before (start moves, not exact), else opens a session", () => {
    const latest = stored({ startedAt: T0, endedAt: T0 + 10 * MIN });
    const a = assign([batch("viewer-1", [[1, -29]])], [latest]);
    expect(shape(a)).toEqual([["stored", [1]]]);
    expect(a.sessions[0]).toMatchObject({ startedAt: T0 - 29 * MIN, lastAt: T0 + 10 * MIN, exact: false });

    const b = assign([batch("viewer-1", [[1, -30]])], [latest]);
    expect(shape(b)).toEqual([["new-1", [1]]]);
    expect(b.sessions[0]).toMatchObject({ stored: null, exact: true });
  });

  it("the session's figures stay exact only while every new event comes strictly after its stored last event", () => {
    const after = assign([batch("viewer-1", [[1, 10.001]])], [stored()]);
    expect(after.sessions[0]!.exact).toBe(true);
    const tie = assign([batch("viewer-1", [[1, 10]])], [stored()]);
    expect(tie.sessions[0]!.exact).toBe(false);
    const inside = assign([batch("viewer-1", [[1, 5], [2, 12]])], [stored()]);
    expect(inside.sessions[0]!.exact).toBe(false);
    const flagged = assign([batch("viewer-1", [[1, 12]])], [stored({ exact: false })]);
    expect(flagged.sessions[0]!.exact).toBe(false);
  });

  it("skips repeats of a (clientId, seq) in the group, whatever their stream, and events stored already", () => {
    const a = assign(
      [
        batch("viewer-1", [[1, 0], [2, 1], [2, 3]]),
        batch("viewer-1", [[2, 2], [3, 4]]),
        batch("viewer-1", [[3, 5]], "s2"),
        batch("viewer-2", [[1, 0], [2, 1]]),
      ],
      [],
      [eventKey("viewer-2", 1), eventKey("viewer-1", 7)],
    );
    // viewer-1's seq 2 is kept at its earliest time (its batch's order), seq 3 in the first batch having it.
    expect(shape(a)).toEqual([
      ["new-1", [1, 2, 3]],
      ["new-2", [2]],
    ]);
    expect(a.sessions[0]!.events.map((e) => e.at - T0)).toEqual([0, 1 * MIN, 4 * MIN]);
    expect(a.events.map((e) => e.batch)).toEqual([0, 0, 1, 3]);
  });

  it("flags a viewer given an event earlier than its latest one; a late event's new session does not take the in-order events after it", () => {
    // Stored: 0..10 min. A late event at −90 min opens its own session; an event at 15 min still
    // joins the stored session (the one with the latest end), not the late one's.
    const a = assign([batch("viewer-1", [[1, -90]]), batch("viewer-1", [[2, 15]]), batch("viewer-2", [[1, 0], [2, 5]])], [stored()]);
    expect(shape(a)).toEqual([["new-1", [1]], ["stored", [2]], ["new-2", [1, 2]]]);
    expect(a.flags).toEqual([{ streamId: "s1", clientId: "viewer-1", from: T0 - 90 * MIN, to: T0 - 90 * MIN }]);
    // In order (after the stored end, or within a group in time order): no flag.
    expect(assign([batch("viewer-1", [[1, 11]]), batch("viewer-1", [[2, 12]])], [stored()]).flags).toEqual([]);
    // Within one group: the later batch holds the earlier event.
    expect(assign([batch("viewer-1", [[2, 5]]), batch("viewer-1", [[1, 3], [3, 7]])]).flags).toEqual([
      { streamId: "s1", clientId: "viewer-1", from: T0 + 3 * MIN, to: T0 + 3 * MIN },
    ]);
  });

  it("a session's earliest new event decides the batch its country and device come from", () => {
    const later = batch("viewer-1", [[2, 5]]);
    const earlier = batch("viewer-1", [[1, 2]]);
    const a = assign([later, earlier]);
    expect(a.sessions[0]).toMatchObject({ openedBy: later, earliestBy: earlier });
  });

  it("a group of nothing new touches no session", () => {
    const a = assign([batch("viewer-1", [[1, 20]])], [stored()], [eventKey("viewer-1", 1)]);
    expect(a).toEqual({ sessions: [], flags: [], events: [] });
  });
});

describe("distinctEvents and viewersOf", () => {
  it("list the group's events in assignment order, each key once, and its viewers once", () => {
    const batches = [batch("viewer-2", [[5, 1], [4, 1], [1, 0]]), batch("viewer-1", [[1, 0]]), batch("viewer-2", [[1, 0], [6, 2]], "s2")];
    expect(distinctEvents(batches).map((d) => [d.clientId, d.event.seq, d.batch])).toEqual([
      ["viewer-2", 1, 0],
      ["viewer-2", 4, 0],
      ["viewer-2", 5, 0],
      ["viewer-1", 1, 1],
      ["viewer-2", 6, 2],
    ]);
    expect(viewersOf([...batches, batch("viewer-1", [[2, 0]])])).toEqual([
      { streamId: "s1", clientId: "viewer-2" },
      { streamId: "s1", clientId: "viewer-1" },
      { streamId: "s2", clientId: "viewer-2" },
    ]);
  });
});

// ---------------------------------------------------------------- property test

interface RefSession {
  id: string;
  viewer: string;
  stored: LatestSession | null;
  start: number;
  last: number;
  events: Ev[];
}

/**
 * The rules as plainly as they can be said: every event of the group one at a time (batches in
 * arrival order, each by time then seq); one set of keys taken (stored ones to start with); the
 * viewer's current session is the one with the latest end; an event fits it when it lies within
 * 30 min (exclusive) of its span.
 */
function reference(batches: Batch[], latest: LatestSession[], storedKeys: Set<string>) {
  let n = 0;
  const taken = new Set([...storedKeys]);
  const all: RefSession[] = latest.map((s) => ({ id: s.id, viewer: `${s.streamId}/${s.clientId}`, stored: s, start: s.startedAt, last: s.endedAt, events: [] }));
  for (const b of batches) {
    const viewer = `${b.streamId}/${b.clientId}`;
    for (const e of [...b.events].sort((x, y) => (x.at !== y.at ? x.at - y.at : x.seq - y.seq))) {
      const key = `${b.clientId}#${e.seq}`;
      if (taken.has(key)) continue;
      taken.add(key);
      let s = all.filter((x) => x.viewer === viewer).reduce<RefSession | undefined>((a, x) => (!a || x.last >= a.last ? x : a), undefined);
      const fits = s !== undefined && e.at < s.last + SESSION_GAP_MS && e.at > s.start - SESSION_GAP_MS;
      if (!fits) {
        s = { id: `new-${++n}`, viewer, stored: null, start: e.at, last: e.at, events: [] };
        all.push(s);
      }
      s!.events.push(e);
      s!.start = Math.min(s!.start, e.at);
      s!.last = Math.max(s!.last, e.at);
    }
  }
  return all
    .filter((s) => s.events.length > 0)
    .map((s) => {
      const events = [...s.events].sort((x, y) => x.at - y.at || x.seq - y.seq);
      const exact = s.stored === null || (s.stored.exact && events.every((e) => e.at > s.stored!.endedAt));
      return { id: s.id, viewer: s.viewer, startedAt: s.start, lastAt: s.last, exact, events: events.map((e) => e.tag) };
    })
    .sort((x, y) => x.id.localeCompare(y.id));
}

describe("assignSessions (property)", () => {
  it("agrees with the plain reference on random groups (shuffled, repeated, late, stored)", () => {
    const r = seededRandom(13_2026);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    // Times on a 5-minute grid hit the 30-min boundary often; a few milliseconds off hit both sides.
    const time = () => T0 + Math.floor(r() * 30 - 8) * 5 * MIN + pick([0, 0, 0, 1, -1]);
    let checked = 0;
    for (let run = 0; run < 500; run++) {
      const viewers = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ streamId: pick(["s1", "s2"]), clientId: pick(["c1", "c2", "c3"]) }));
      let tag = 0;
      const batches: Batch[] = Array.from({ length: 1 + Math.floor(r() * 6) }, () => {
        const v = pick(viewers);
        return { ...v, events: Array.from({ length: 1 + Math.floor(r() * 8) }, () => ({ seq: Math.floor(r() * 12), at: time(), tag: `e${++tag}` })) };
      });
      const latest: LatestSession[] = [];
      for (const v of viewersOf(viewers)) {
        if (r() < 0.5) continue;
        const start = time();
        latest.push({ id: `stored-${latest.length}`, ...v, startedAt: start, endedAt: start + Math.floor(r() * 6) * 5 * MIN + pick([0, 1]), exact: r() < 0.7 });
      }
      const storedKeys = new Set<string>();
      for (const b of batches) for (const e of b.events) if (r() < 0.15) storedKeys.add(`${b.clientId}#${e.seq}`);

      const a = assignSessions({
        batches,
        latest,
        stored: new Set([...storedKeys].map((k) => eventKey(k.split("#")[0]!, Number(k.split("#")[1])))),
        newId: ids(),
      });
      const got = a.sessions
        .map((s) => ({ id: s.id, viewer: `${s.streamId}/${s.clientId}`, startedAt: s.startedAt, lastAt: s.lastAt, exact: s.exact, events: s.events.map((e) => e.tag) }))
        .sort((x, y) => x.id.localeCompare(y.id));
      expect(got, `run ${run}`).toEqual(reference(batches, latest, storedKeys));
      // The event list is the sessions' events, each once, each pointing at its session.
      expect(a.events.map((e) => e.event.tag).sort()).toEqual(a.sessions.flatMap((s) => s.events.map((e) => e.tag)).sort());
      for (const { event, session } of a.events) expect(session.events).toContain(event);
      checked += a.sessions.length;
    }
    expect(checked).toBeGreaterThan(500);
  });
});
