import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { expectWalkOf, insertSession, randomSession, type FixtureEvent } from "./walk.testkit";
import { walkSessionsInSql } from "./walkSql";
import { seededRandom as rng } from "~/lib/random";

describe("the SQL state walk", () => {
  it("equals walk() on 300 random sessions (states, 30 s cap, out-of-order and simultaneous events, startupMs)", async () => {
    const stream = await createStream();
    const r = rng(20261124);
    const base = new Date("2026-11-20T10:00:00.000Z");
    const cases: { id: string; events: FixtureEvent[]; firstSeq: number }[] = [];
    for (let i = 0; i < 300; i++) {
      const events = randomSession(r);
      const id = await insertSession({ streamId: stream.id, clientId: uid("c"), base, events });
      cases.push({ id, events, firstSeq: 0 });
    }
    const walked = new Map((await walkSessionsInSql(getPool(), cases.map((c) => c.id))).map((w) => [w.sessionId, w]));
    expect(walked.size).toBe(300);
    for (const c of cases) {
      // Reference: sort by time, then by insertion order (seq grows with it).
      const ordered = c.events
        .map((e, i) => ({ type: e.type, at: base.getTime() + Math.round(e.t * 1000), extra: e.extra, i }))
        .sort((a, b) => a.at - b.at || a.i - b.i);
      expectWalkOf(walked.get(c.id)!, ordered);
    }
  });

  it("gives the spec's examples: play + 4 heartbeats = 60 s; buffering 20→25 s = 5 s; pauses do not count", async () => {
    const stream = await createStream();
    const base = new Date("2026-11-20T12:00:00.000Z");
    const a = await insertSession({
      streamId: stream.id, clientId: uid("c"), base,
      events: [{ type: "play", t: 0, extra: { startupMs: 850 } }, { type: "heartbeat", t: 15 }, { type: "heartbeat", t: 30 }, { type: "heartbeat", t: 45 }, { type: "heartbeat", t: 60 }],
    });
    const b = await insertSession({
      streamId: stream.id, clientId: uid("c"), base,
      events: [{ type: "play", t: 0 }, { type: "heartbeat", t: 15 }, { type: "buffer_start", t: 20 }, { type: "buffer_end", t: 25 }, { type: "heartbeat", t: 30 }, { type: "heartbeat", t: 45 }, { type: "heartbeat", t: 60 }],
    });
    const c = await insertSession({
      streamId: stream.id, clientId: uid("c"), base,
      events: [{ type: "play", t: 0 }, { type: "heartbeat", t: 15 }, { type: "pause", t: 20 }, { type: "play", t: 320 }, { type: "heartbeat", t: 335 }],
    });
    const d = await insertSession({
      streamId: stream.id, clientId: uid("c"), base,
      // 10 minutes of silence while playing counts 30 s, not 600 s.
      events: [{ type: "play", t: 0 }, { type: "heartbeat", t: 15 }, { type: "heartbeat", t: 615 }],
    });
    const w = new Map((await walkSessionsInSql(getPool(), [a, b, c, d])).map((x) => [x.sessionId, x]));
    expect(w.get(a)).toMatchObject({ watchSeconds: 60, bufferSeconds: 0, startupMs: 850, hasError: false, lastState: "playing" });
    expect(w.get(b)).toMatchObject({ watchSeconds: 60, bufferSeconds: 5 });
    expect(w.get(c)).toMatchObject({ watchSeconds: 35, bufferSeconds: 0 });
    expect(w.get(d)).toMatchObject({ watchSeconds: 45, maxGapMs: 600_000 });
  });
});
