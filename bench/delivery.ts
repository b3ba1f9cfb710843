// npm run bench:delivery [-- --viewers 500 --seed N] — one random audience (audience.testkit.ts:
// viewers coming back after 30+ min, pauses up to 29:59.999, buffering, errors) on one stream,
// delivered through the ingestion core twice into a database of its own: in order, and in random
// order. Prints, for each, sessions / total watch / peak / buffer ratio / error rate as the door
// left them (before the job: provisional) and after the aggregation job, next to the reference
// computed from docs/metrics.md. Not a speed benchmark: the figures must be equal.
import os from "node:os";
import { parseArgs } from "node:util";
import { createTestDatabase } from "~/test/testDatabase";

process.env.LOG_LEVEL ??= "warn";
process.env.TRUSTED_GEO_HEADER = "cf-ipcountry";

const { values } = parseArgs({ options: { viewers: { type: "string", default: "500" }, seed: { type: "string", default: "20261214" } } });
const viewers = Number(values.viewers);
const seed = Number(values.seed);

const db = await createTestDatabase("streamscope_delivery");
process.env.DATABASE_URL = db.url;
const { getPool, closePool } = await import("~/lib/db/pool");
const { runAggregation } = await import("~/aggregation/job");
const { createStream } = await import("~/test/factories");
const kit = await import("~/aggregation/audience.testkit");
const { bufferRatio, errorRate } = await import("~/contract");

const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(" ");
try {
  const r = kit.prng(seed);
  const base = Math.floor((Date.now() - 14 * 3600_000) / 1000) * 1000;
  const audience = kit.randomAudience(r, { viewers, streams: 1, base });
  const [inOrder, , random] = kit.deliveries(audience, r);
  const rows: string[] = [];
  const fmt = (f: { sessions: number; watch: number; peak: number | string; buffer: number; errors: number }) =>
    `${f.sessions} | ${f.watch.toFixed(3)} | ${f.peak} | ${bufferRatio(f.buffer, f.watch).toFixed(6)} | ${errorRate(f.errors, f.sessions).toFixed(6)}`;

  const ref = kit.referenceSessions(audience);
  const refFigures = {
    sessions: ref.length,
    watch: ref.reduce((x, s) => x + s.watch, 0),
    buffer: ref.reduce((x, s) => x + s.buffer, 0),
    errors: ref.filter((s) => s.error).length,
    peak: Math.max(...kit.referenceMinutes(ref).values()),
  };
  rows.push(`| reference (docs/metrics.md, computed from the events) | ${fmt(refFigures)} |`);

  for (const d of [inOrder!, random!]) {
    const stream = await createStream();
    const ids = { streams: [stream.id], clients: Array.from({ length: viewers }, (_, v) => `${d.name[0]}-viewer-${seed}-${v}`) };
    const t0 = performance.now();
    await kit.deliver(d, ids, { wave: 16 });
    const sent = (performance.now() - t0) / 1000;
    const door = (
      await getPool().query<{ sessions: number; watch: number; buffer: number; errors: number }>(
        `SELECT count(*)::int AS sessions, coalesce(sum(watch_seconds), 0)::float8 AS watch, coalesce(sum(buffer_seconds), 0)::float8 AS buffer,
                count(*) FILTER (WHERE has_error)::int AS errors
         FROM viewer_sessions WHERE stream_id = $1`,
        [stream.id],
      )
    ).rows[0]!;
    rows.push(`| ${d.name}: as the door left them (provisional, before the job) | ${fmt({ ...door, peak: "–" })} |`);
    const out = await runAggregation("cli", { streamIds: [stream.id] });
    if (out.status !== "succeeded") throw new Error(`aggregation ${out.status}: ${out.error ?? ""}`);
    const s = (await getPool().query("SELECT * FROM stream_stats WHERE stream_id = $1", [stream.id])).rows[0];
    rows.push(
      `| ${d.name}: after the aggregation job | ${fmt({ sessions: s.sessions, watch: s.own_watch_seconds, peak: s.peak_concurrent_viewers, buffer: s.buffer_seconds, errors: s.error_sessions })} |`,
    );
    // Any viewer whose stored sessions are not the reference's is named (there should be none).
    const stored = (
      await getPool().query<{ client_id: string; started_at: Date; ended_at: Date; event_count: number }>(
        "SELECT client_id, started_at, ended_at, event_count FROM viewer_sessions WHERE stream_id = $1 ORDER BY client_id, started_at",
        [stream.id],
      )
    ).rows;
    for (let v = 0; v < viewers; v++) {
      const got = stored.filter((x) => x.client_id === ids.clients[v]).map((x) => `${x.started_at.toISOString()}..${x.ended_at.toISOString()} (${x.event_count})`);
      const want = ref.filter((x) => x.viewer === v).map((x) => `${new Date(x.start).toISOString()}..${new Date(x.end).toISOString()} (${x.events})`);
      if (got.join() !== want.join()) console.log(`${d.name}: viewer ${v} differs:\n  stored    ${got.join("\n            ")}\n  reference ${want.join("\n            ")}`);
    }
    console.log(`${d.name}: ${d.batches.length} batches sent in ${sent.toFixed(1)} s; job: ${JSON.stringify({ resessionized: out.figures.resessionizedViewers, merged: out.figures.mergedSessions })}`);
  }
  const events = audience.viewings.reduce((x, w) => x + w.events.length, 0);
  console.log("");
  console.log(`one audience: ${viewers} viewers, one stream, ${events} events, seed ${seed}; database ${db.kind}`);
  console.log("| delivery | sessions | total watch (s) | peak | buffer ratio | error rate |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
  console.log(`load average before/after: ${loadBefore} / ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await closePool();
  await db.drop();
}
