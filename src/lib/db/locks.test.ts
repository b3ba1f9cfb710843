// Locks exclude on the database the run uses — PostgreSQL, and the embedded PGlite, whose one
// session is shared by every connection (vitest's "embedded" project runs this file there too):
// one viewer's batches written at once by two writers (as by two server processes) make one
// session; migrations run twice at once, with ingestion going on, apply each step once.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createWriter, type PreparedBatch } from "~/ingest/writer";
import { createStream, uid } from "~/test/factories";
import { migrate } from "./migrate";
import { closePool, getPool } from "./pool";

const url = process.env.DATABASE_URL!;
const pools: pg.Pool[] = [];
const newPool = () => {
  const p = new pg.Pool({ connectionString: url, max: 3 });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await closePool();
});

function batch(streamId: string, clientId: string, seqs: number[], at: number): PreparedBatch {
  return {
    streamId,
    clientId,
    country: "FR",
    deviceClass: "desktop",
    browser: "Firefox",
    os: "Linux",
    events: seqs.map((seq) => ({ type: seq === 1 ? "play" : "heartbeat", at: at + (seq - 1) * 15_000, ts: at + (seq - 1) * 15_000, videoTime: (seq - 1) * 15, seq, extra: null })),
  };
}

describe("one viewer's batches written at once by two writers", () => {
  it("make one session holding every event, round after round", async () => {
    // Two writers with pools of their own: two transactions at once, each taking the viewer's
    // transaction lock; without it both would open a session for the same viewer.
    const [w1, w2] = [newPool(), newPool()].map((p) => createWriter({ pool: () => p, windowMs: 0, maxInFlight: 1 }));
    const stream = await createStream();
    for (let round = 0; round < 8; round++) {
      const clientId = uid("client");
      const at = Date.now() - 10 * 60_000;
      const results = await Promise.all([
        w1!.write(batch(stream.id, clientId, [1, 2, 3], at)),
        w2!.write(batch(stream.id, clientId, [4, 5, 6], at)),
        w1!.write(batch(stream.id, clientId, [7, 8], at)),
        w2!.write(batch(stream.id, clientId, [7, 8, 9], at)),
      ]);
      // 9 distinct events (seq 7 and 8 sent twice): every one stored once.
      expect(results.reduce((n, r) => n + r.ingested, 0)).toBe(9);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(2);
      // One session (seq 1..9, 15 s apart) holding all 9. Its provisional figures depend on which
      // batch came first; the aggregation job makes them exact (not this test's subject).
      const { rows } = await getPool().query<{ event_count: number }>("SELECT event_count FROM viewer_sessions WHERE client_id = $1", [clientId]);
      expect(rows).toEqual([{ event_count: 9 }]);
    }
  });
});

describe("migrations run twice at once while batches are written", () => {
  const tag = uid("locktest").toLowerCase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "streamscope-migrations-"));
  const names = ["a", "b", "c"].map((s, i) => `2999010100000${i}_${tag}_${s}`);
  afterAll(async () => {
    await getPool().query(`DROP TABLE IF EXISTS ${tag}`);
    await getPool().query(`DELETE FROM "_prisma_migrations" WHERE migration_name = ANY($1)`, [names]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("apply each step once, and every batch is stored", async () => {
    // Steps that fail if run twice (CREATE TABLE without IF NOT EXISTS, a unique step number).
    const steps = [`CREATE TABLE ${tag} (step int PRIMARY KEY)`, `INSERT INTO ${tag} VALUES (1)`, `INSERT INTO ${tag} VALUES (2)`];
    names.forEach((name, i) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "migration.sql"), `${steps[i]};\n`);
    });
    const stream = await createStream();
    const writer = createWriter({ pool: () => newPool(), windowMs: 0 });
    const clients = Array.from({ length: 12 }, () => uid("client"));
    const at = Date.now() - 5 * 60_000;
    const [m1, m2, written] = await Promise.all([
      migrate(url, { dir }),
      migrate(url, { dir }),
      Promise.all(clients.map((c) => writer.write(batch(stream.id, c, [1, 2], at)))),
    ]);
    expect([...m1.applied, ...m2.applied].sort()).toEqual(names);
    expect(m1.alreadyApplied + m2.alreadyApplied).toBe(3);
    expect((await getPool().query(`SELECT step FROM ${tag} ORDER BY step`)).rows).toEqual([{ step: 1 }, { step: 2 }]);
    expect(written.every((r) => r.ingested === 2)).toBe(true);
    const { rows } = await getPool().query<{ n: number }>("SELECT count(*)::int AS n FROM playback_events WHERE client_id = ANY($1)", [clients]);
    expect(rows[0]!.n).toBe(24);
  });
});
