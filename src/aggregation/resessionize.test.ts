import { describe, expect, it } from "vitest";
import { SESSION_GAP_MS } from "~/contract";
import { affectedSessions, survivors } from "./resessionize";

const T0 = Date.UTC(2026, 11, 1, 12);
const MIN = 60_000;
const s = (name: string, from: number, to: number) => ({ name, started_at: new Date(T0 + from * MIN), ended_at: new Date(T0 + to * MIN) });

describe("affectedSessions", () => {
  it("takes the sessions within 30 min of the flagged span, then those within 30 min of them, and no others", () => {
    const sessions = [
      s("far before", -200, -150), // 30 min exactly before "before": a gap of 30 min keeps them apart
      s("before", -120, -40), // ends 29 min before "at"
      s("at", -11, 5), // holds the flagged event at 0
      s("after", 34, 60), // starts 29 min after "at" ends
      s("chained", 89, 100), // 29 min after "after": reached through it
      s("far after", 131, 140), // 31 min after "chained"
    ];
    sessions[0]!.ended_at = new Date(sessions[1]!.started_at.getTime() - SESSION_GAP_MS);
    const picked = affectedSessions(sessions, T0, T0).map((x) => x.name);
    expect(picked.sort()).toEqual(["after", "at", "before", "chained"]);
  });

  it("a flagged span in a gap of its own takes nothing but what is within 30 min", () => {
    const sessions = [s("a", 0, 10), s("b", 100, 110)];
    expect(affectedSessions(sessions, T0 + 55 * MIN, T0 + 56 * MIN)).toEqual([]);
    expect(affectedSessions(sessions, T0 + 39 * MIN, T0 + 39 * MIN).map((x) => x.name)).toEqual(["a"]);
  });
});

describe("survivors", () => {
  const sessions = new Map([
    ["early", { started_at: new Date(T0) }],
    ["late", { started_at: new Date(T0 + 10 * MIN) }],
    ["third", { started_at: new Date(T0 + 20 * MIN) }],
  ]);
  const ev = (sessionId: string, events: number) => [{ sessionId, events }];

  it("a merged run keeps the id of the part with the most events, so the fewest events move", () => {
    expect(survivors([[...ev("early", 2), ...ev("late", 5)]], sessions)).toEqual(["late"]);
    expect(survivors([[...ev("early", 5), ...ev("late", 2)]], sessions)).toEqual(["early"]);
  });

  it("equal parts: the earlier-starting session keeps its id", () => {
    expect(survivors([[...ev("late", 3), ...ev("early", 3)]], sessions)).toEqual(["early"]);
  });

  it("a session cut in several runs keeps its id in the run holding most of its events; a run left without an old id gets a new one", () => {
    // early: 2 events in run 0, 6 in run 1; late: 4 in run 0.
    expect(survivors([[...ev("early", 2), ...ev("late", 4)], ev("early", 6)], sessions)).toEqual(["late", "early"]);
    // early: 2 in run 0, 6 in run 1; nothing else: run 0 gets a new id.
    expect(survivors([ev("early", 2), ev("early", 6)], sessions)).toEqual([undefined, "early"]);
    // each id is kept once
    expect(survivors([ev("third", 1), [...ev("third", 3), ...ev("late", 2)]], sessions)).toEqual([undefined, "third"]);
  });
});
