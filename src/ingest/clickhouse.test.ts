// Ingestion with ClickHouse as the event store (CLICKHOUSE_URL set): the group-commit writer's
// contract still holds — dedup by (client_id, seq) across resent batches, sessions at the door in
// PostgreSQL, nothing of a failed group acknowledged — and raw events land only in ClickHouse.
import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { chRows, chString, getClickHouse } from "~/lib/clickhouse/client";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { clickhouseUrl, describeClickHouse } from "~/test/useClickHouse";
import { toClickHouseRow } from "./queries/insertEvents";
import { createWriter, type PreparedBatch } from "./writer";

function prepared(streamId: string, clientId: string, seqs: number[], at = Date.now() - 60_000): PreparedBatch {
  return {
    streamId,
    clientId,
    country: "FR",
    deviceClass: "desktop",
    browser: "Firefox",
    os: "Linux",
    events: seqs.map((seq, i) => ({
      type: i === 0 ? "play" : "heartbeat",
      at: at + i * 15_000,
      ts: at + i * 15_000,
      videoTime: i * 15,
      seq,
      extra: i === 0 ? { startupMs: 700 } : null,
    })),
  };
}

async function chEvents(streamId: string) {
  return chRows<{ seq: string; session_id: string; type: string; startup_ms: string | null }>(
    getClickHouse(),
    `SELECT seq, toString(session_id) AS session_id, toString(type) AS type, startup_ms FROM playback_events FINAL
     WHERE stream_id = ${chString(streamId)} ORDER BY seq`,
  );
}

describeClickHouse("ingestion into ClickHouse", () => {
  beforeAll(() => {
    process.env.CLICKHOUSE_URL = clickhouseUrl;
  });

  it("stores events in ClickHouse and sessions in PostgreSQL; a resent batch counts as duplicates", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const writer = createWriter({ pool: getPool });
    expect(await writer.write(prepared(stream.id, clientId, [1, 2, 3]))).toEqual({ ingested: 3, duplicates: 0 });
    // Sent again, alone and concurrently with a new batch of the same viewer (group commit).
    const [again, next] = await Promise.all([
      writer.write(prepared(stream.id, clientId, [1, 2, 3])),
      writer.write(prepared(stream.id, clientId, [4, 5], Date.now() - 15_000)),
    ]);
    expect(again).toEqual({ ingested: 0, duplicates: 3 });
    expect(next).toEqual({ ingested: 2, duplicates: 0 });

    const events = await chEvents(stream.id);
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]).toMatchObject({ type: "play", startup_ms: "700" });
    const { rows: pgEvents } = await getPool().query("SELECT 1 FROM playback_events WHERE stream_id = $1", [stream.id]);
    expect(pgEvents).toHaveLength(0);
    const { rows: sessions } = await getPool().query("SELECT id::text, event_count, startup_ms FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ event_count: 5, startup_ms: 700 });
    expect(new Set(events.map((e) => e.session_id))).toEqual(new Set([sessions[0].id]));
  });

  it("stores again events whose earlier copy points to a session that was never committed", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const batch = prepared(stream.id, clientId, [1, 2]);
    // As if an earlier group wrote to ClickHouse and then failed its PostgreSQL COMMIT.
    const orphan = randomUUID();
    await getClickHouse().insert({
      table: "playback_events",
      format: "JSONEachRow",
      values: batch.events.map((e) => toClickHouseRow({ ...e, streamId: stream.id, clientId, sessionId: orphan }, 1)),
    });
    const writer = createWriter({ pool: getPool });
    expect(await writer.write(batch)).toEqual({ ingested: 2, duplicates: 0 });
    const { rows } = await getPool().query("SELECT id::text FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect((await chEvents(stream.id)).map((e) => e.session_id)).toEqual([rows[0].id, rows[0].id]);
  });

  it("a later batch continues the walk: the first play decides startupMs even across batches", async () => {
    const stream = await createStream();
    const clientId = uid("c");
    const writer = createWriter({ pool: getPool });
    const t = Date.now() - 120_000;
    await writer.write({ ...prepared(stream.id, clientId, [1], t), events: [{ type: "play", at: t, ts: t, videoTime: 0, seq: 1, extra: null }] });
    await writer.write({
      ...prepared(stream.id, clientId, [2], t),
      events: [{ type: "play", at: t + 15_000, ts: t + 15_000, videoTime: 15, seq: 2, extra: { startupMs: 500 } }],
    });
    const { rows } = await getPool().query("SELECT startup_ms, watch_seconds FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(rows[0]).toEqual({ startup_ms: null, watch_seconds: 15 });
  });

  it("answers the group with an error and acknowledges nothing when ClickHouse is down", async () => {
    const stream = await createStream();
    const before = process.env.CLICKHOUSE_URL;
    process.env.CLICKHOUSE_URL = "http://127.0.0.1:1/nothing";
    try {
      const writer = createWriter({ pool: getPool });
      await expect(writer.write(prepared(stream.id, uid("c"), [1, 2]))).rejects.toThrow();
    } finally {
      process.env.CLICKHOUSE_URL = before;
    }
    const { rows } = await getPool().query("SELECT 1 FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(rows).toHaveLength(0);
  });
});
