// The ClickHouse state walk equals walk() (src/sessions/walk.ts) on random sessions, as the
// PostgreSQL walk does (walkSql.test.ts): same generator, same seed.
import { beforeAll, expect, it } from "vitest";
import { getClickHouse } from "~/lib/clickhouse/client";
import { startupMsOf, type EventType } from "~/contract";
import { describeClickHouse, clickhouseUrl } from "~/test/useClickHouse";
import { uid } from "~/test/factories";
import { seededRandom } from "~/lib/random";
import { toClickHouseRow } from "~/lib/clickhouse/rows";
import { eventSessions, moveSessionEvents } from "./sessionEvents";
import { sessionEventsClickHouse, walkSessionsClickHouse } from "./walkClickHouse";
import { expectWalkOf } from "../walk.testkit";
import { randomUUID } from "node:crypto";
import type pg from "pg";

const rng = seededRandom;

const TYPES: EventType[] = ["play", "pause", "heartbeat", "heartbeat", "heartbeat", "ended", "error", "buffer_start", "buffer_end"];
const STARTUPS: unknown[] = [850, 1234.5, 0, -5, "900", null, 3e12, 42.5];

interface Ev {
  type: EventType;
  at: number;
  seq: number;
  extra?: Record<string, unknown>;
}

function randomSession(r: () => number, base: number, seq0: number): Ev[] {
  const n = 1 + Math.floor(r() * 40);
  const events: Ev[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += r() < 0.15 ? 0 : Math.round(r() * 70_000) / 1000;
    const type = TYPES[Math.floor(r() * TYPES.length)]!;
    const extra =
      type === "play" && r() < 0.7 ? { startupMs: STARTUPS[Math.floor(r() * STARTUPS.length)] } : type === "error" ? { code: "x" } : undefined;
    const tt = r() < 0.1 ? Math.max(0, t - r() * 20) : t;
    events.push({ type, at: base + Math.round(tt * 1000), seq: seq0 + i, extra });
  }
  return events;
}

async function store(streamId: string, clientId: string, sessionId: string, events: Ev[]) {
  await getClickHouse().insert({
    table: "playback_events",
    format: "JSONEachRow",
    values: events.map((e) =>
      toClickHouseRow({ streamId, clientId, sessionId, seq: e.seq, type: e.type, at: e.at, ts: e.at, videoTime: 0, extra: e.extra ?? null }, 1),
    ),
  });
}

describeClickHouse("the ClickHouse state walk", () => {
  beforeAll(() => {
    process.env.CLICKHOUSE_URL = clickhouseUrl;
  });

  it("equals walk() on 300 random sessions (states, 30 s cap, out-of-order and simultaneous events, startupMs)", async () => {
    const r = rng(20261124);
    const base = Date.parse("2026-11-20T10:00:00.000Z");
    const streamId = uid("stream");
    const cases: { id: string; clientId: string; events: Ev[] }[] = [];
    for (let i = 0; i < 300; i++) {
      const id = randomUUID();
      const clientId = uid("c");
      const events = randomSession(r, base, 1);
      cases.push({ id, clientId, events });
      await store(streamId, clientId, id, events);
    }
    const walked = new Map((await walkSessionsClickHouse(cases.map((c) => ({ id: c.id, streamId, clientId: c.clientId })))).map((w) => [w.sessionId, w]));
    expect(walked.size).toBe(300);
    for (const c of cases) {
      const ordered = [...c.events].sort((a, b) => a.at - b.at || a.seq - b.seq);
      const got = walked.get(c.id)!;
      expectWalkOf(got, ordered);
      const gaps = ordered.slice(1).map((e, i) => e.at - ordered[i]!.at);
      expect(got.maxGapMs).toBe(gaps.length ? Math.max(...gaps) : 0);
    }
    // startupMsOf is what ingestion stores for a play's extra: the generator covers its cases.
    expect(startupMsOf({ startupMs: 1234.5 })).toBe(1235);
  });

  it("counts a resent copy of an event once (FINAL) and moves events to a new session by re-inserting them", async () => {
    const streamId = uid("stream");
    const clientId = uid("c");
    const a = randomUUID();
    const base = Date.parse("2026-11-20T12:00:00.000Z");
    const events: Ev[] = [
      { type: "play", at: base, seq: 1, extra: { startupMs: 850 } },
      { type: "heartbeat", at: base + 15_000, seq: 2 },
      { type: "heartbeat", at: base + 30_000, seq: 3 },
    ];
    await store(streamId, clientId, a, events);
    await store(streamId, clientId, a, events.slice(1)); // a retried insert
    const [w] = await walkSessionsClickHouse([{ id: a, streamId, clientId }]);
    expect(w).toMatchObject({ eventCount: 3, watchSeconds: 30, startupMs: 850 });

    const b = randomUUID();
    const fakeClient = { query: async () => ({ rows: [{ stream_id: streamId, client_id: clientId }] }) } as unknown as pg.PoolClient;
    const moved = (await sessionEventsClickHouse({ id: a, streamId, clientId })).slice(2).map((e) => ({ ...e, id: null, type: e.type as EventType }));
    await moveSessionEvents(fakeClient, a, [{ to: b, events: moved }], "in-transaction");
    expect((await eventSessions(streamId, clientId)).get(3)).toBe(a); // ClickHouse moves only after COMMIT
    await moveSessionEvents(fakeClient, a, [{ to: b, events: moved }], "after-commit");
    expect([...(await eventSessions(streamId, clientId)).entries()].sort()).toEqual([
      [1, a],
      [2, a],
      [3, b],
    ]);
    const after = new Map((await walkSessionsClickHouse([{ id: a, streamId, clientId }, { id: b, streamId, clientId }])).map((x) => [x.sessionId, x]));
    expect(after.get(a)).toMatchObject({ eventCount: 2, watchSeconds: 15 });
    expect(after.get(b)).toMatchObject({ eventCount: 1, watchSeconds: 0 });
  });
});
