// Integration: a group whose COMMIT fails acknowledges nothing, and its resend is stored and
// counted once — in the session and in the aggregated figures — never answered as duplicates. With
// ClickHouse as the event store the events reach ClickHouse before PostgreSQL's COMMIT, so this is
// where exactly-once can break: the dedup keys must roll back with the session change.
//
// The COMMIT is broken by a deferred constraint trigger on viewer_sessions (the session change the
// events count in) that raises at COMMIT time for the clients listed in a table of this test
// (other test files share the database and are not affected).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "~/aggregation/job";
import { chRows, chString, getClickHouse } from "~/lib/clickhouse/client";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { describeClickHouse, withStore } from "~/test/useClickHouse";
import { createWriter, type PreparedBatch } from "./writer";

beforeAll(async () => {
  await getPool().query(`
    CREATE TABLE IF NOT EXISTS test_commit_faults (client_id text PRIMARY KEY);
    CREATE OR REPLACE FUNCTION test_commit_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_commit_faults WHERE client_id = NEW.client_id) THEN
        RAISE EXCEPTION 'test: COMMIT broken for %', NEW.client_id;
      END IF;
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS test_commit_fault ON viewer_sessions;
    CREATE CONSTRAINT TRIGGER test_commit_fault AFTER INSERT OR UPDATE ON viewer_sessions
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_commit_fault();`);
});
afterAll(async () => {
  await getPool().query("DROP TRIGGER IF EXISTS test_commit_fault ON viewer_sessions; DROP FUNCTION IF EXISTS test_commit_fault(); DROP TABLE IF EXISTS test_commit_faults;");
});

function prepared(streamId: string, clientId: string, seqs: number[], at: number): PreparedBatch {
  return {
    streamId,
    clientId,
    country: "FR",
    deviceClass: "desktop",
    browser: "Firefox",
    os: "Linux",
    events: seqs.map((seq, i) => ({
      type: seq === 1 ? "play" : "heartbeat",
      at: at + i * 15_000,
      ts: at + i * 15_000,
      videoTime: (seq - 1) * 15,
      seq,
      extra: seq === 1 ? { startupMs: 700 } : null,
    })),
  };
}

/** A viewer's first batch is stored; the next one's COMMIT fails once; it is sent again. */
async function breakTheCommitOnceAndResend() {
  const stream = await createStream();
  const clientId = uid("c");
  // Two hours ago: the session is closed, so the job finalizes it by walking its stored events.
  const t0 = Date.now() - 2 * 3_600_000;
  const writer = createWriter({ pool: getPool });
  expect(await writer.write(prepared(stream.id, clientId, [1, 2, 3], t0))).toEqual({ ingested: 3, duplicates: 0 });

  const next = prepared(stream.id, clientId, [4, 5], t0 + 45_000);
  await getPool().query("INSERT INTO test_commit_faults VALUES ($1)", [clientId]);
  try {
    await expect(writer.write(next)).rejects.toThrow(/COMMIT broken/);
  } finally {
    await getPool().query("DELETE FROM test_commit_faults WHERE client_id = $1", [clientId]);
  }
  // The tracker resends what was not acknowledged.
  expect(await writer.write(next)).toEqual({ ingested: 2, duplicates: 0 });
  // And once more, as a late beacon would: now they are duplicates.
  expect(await writer.write(next)).toEqual({ ingested: 0, duplicates: 2 });

  const { rows: sessions } = await getPool().query("SELECT id::text, event_count, watch_seconds FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
  expect(sessions).toEqual([{ id: expect.any(String), event_count: 5, watch_seconds: 60 }]);
  // The figures, walked again from the stored events.
  await aggregate({ progress: () => {} }, { streamIds: [stream.id], full: true, rewalk: true });
  const { rows: walked } = await getPool().query("SELECT event_count, watch_seconds, finalized_at FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
  expect(walked).toEqual([{ event_count: 5, watch_seconds: 60, finalized_at: expect.any(Date) }]);
  const { rows: stats } = await getPool().query("SELECT sessions, events::int AS events, own_watch_seconds FROM stream_stats WHERE stream_id = $1", [stream.id]);
  expect(stats).toEqual([{ sessions: 1, events: 5, own_watch_seconds: 60 }]);
  return { streamId: stream.id, sessionId: sessions[0].id as string };
}

describe("a COMMIT that fails, then the resend", () => {
  it("with events in PostgreSQL: stored and counted once", () => withStore("postgres", async () => {
    const { streamId } = await breakTheCommitOnceAndResend();
    const { rows } = await getPool().query("SELECT seq FROM playback_events WHERE stream_id = $1 ORDER BY seq", [streamId]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  }));
});

describeClickHouse("a COMMIT that fails after the events reached ClickHouse, then the resend", () => {
  it("is stored and counted once, never answered as duplicates; ClickHouse keeps one copy of each event", () =>
    withStore("clickhouse", async () => {
      const { streamId, sessionId } = await breakTheCommitOnceAndResend();
      const events = await chRows<{ seq: string; session_id: string }>(
        getClickHouse(),
        `SELECT seq, toString(session_id) AS session_id FROM playback_events FINAL WHERE stream_id = ${chString(streamId)} ORDER BY seq`,
      );
      expect(events).toEqual([1, 2, 3, 4, 5].map((seq) => ({ seq: String(seq), session_id: sessionId })));
      const { rows } = await getPool().query("SELECT 1 FROM playback_events WHERE stream_id = $1", [streamId]);
      expect(rows).toHaveLength(0);
    }));
});
