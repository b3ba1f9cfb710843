import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { aggregate } from "./job";
import { insertSession, playing } from "./walk.testkit";

describe("daily series (stream_daily_stats)", () => {
  it("counts sessions on the UTC day they start; peak per day includes sessions carried over midnight", async () => {
    const stream = await createStream();
    const x = uid("c");
    const y = uid("c");
    // Day 1: viewer x twice (one of them crosses midnight, 23:50 → 00:20), viewer y once with an error.
    await insertSession({ streamId: stream.id, clientId: x, base: new Date("2026-11-18T09:00:00Z"), events: playing(60, 0, 400) });
    await insertSession({ streamId: stream.id, clientId: x, base: new Date("2026-11-18T23:50:00Z"), events: playing(1800) });
    await insertSession({
      streamId: stream.id, clientId: y, base: new Date("2026-11-18T23:55:00Z"),
      events: [...playing(120), { type: "error", t: 121 }],
    });
    // Day 2: viewer y once, overlapping x's session from the day before.
    await insertSession({ streamId: stream.id, clientId: y, base: new Date("2026-11-19T00:10:00Z"), events: playing(300, 0, 600) });
    await aggregate({ progress: () => {} }, { streamIds: [stream.id], full: true });
    const { rows } = await getPool().query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, viewers, sessions, watch_seconds, error_sessions, startup_ms_sum, startup_sessions, peak_concurrent
       FROM stream_daily_stats WHERE stream_id = $1 ORDER BY day`,
      [stream.id],
    );
    expect(rows).toEqual([
      { day: "2026-11-18", viewers: 2, sessions: 3, watch_seconds: 60 + 1800 + 121 /* the error at 121 s comes while playing */, error_sessions: 1, startup_ms_sum: 400, startup_sessions: 1, peak_concurrent: 2 },
      { day: "2026-11-19", viewers: 1, sessions: 1, watch_seconds: 300, error_sessions: 0, startup_ms_sum: 600, startup_sessions: 1, peak_concurrent: 2 },
    ]);
  });
});
