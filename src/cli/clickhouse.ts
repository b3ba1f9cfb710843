// npm run clickhouse:migrate | clickhouse:backfill | clickhouse:retention (docs/scaling.md).
//   migrate                    creates CLICKHOUSE_URL's database and applies clickhouse/migrations
//   backfill [--after-id N] [--batch N]
//                              copies PostgreSQL's playback_events into ClickHouse, with progress
//   retention [--dry-run]      drops monthly partitions older than RETENTION_MONTHS once covered
import { loadEnv } from "~/env";
import { closeClickHouse, createClickHouse } from "~/lib/clickhouse/client";
import { backfillClickHouse } from "~/lib/clickhouse/backfill";
import { migrateClickHouse } from "~/lib/clickhouse/migrate";
import { dropExpiredPartitions } from "~/lib/clickhouse/retention";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { closePool, getPool } from "~/lib/db/pool";

const [command, ...args] = process.argv.slice(2);
const env = loadEnv();
if (!env.CLICKHOUSE_URL) {
  console.error("CLICKHOUSE_URL is not set (see .env.example and docs/scaling.md)");
  process.exit(1);
}
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`--${name} needs a whole number`);
    process.exit(2);
  }
  return v;
};

const log = (m: string) => console.log(`[${new Date().toISOString()}] ${m}`);
let code = 0;
try {
  if (command === "migrate") {
    const r = await migrateClickHouse(env.CLICKHOUSE_URL, { log });
    log(r.applied.length ? `applied ${r.applied.join(", ")} to ${r.database}` : `${r.database} is up to date (${r.alreadyApplied} applied earlier)`);
  } else if (command === "backfill") {
    await migrateClickHouse(env.CLICKHOUSE_URL, { log });
    const target = await ensureDatabaseUrl();
    const ch = createClickHouse(env.CLICKHOUSE_URL, { longQueries: true });
    try {
      const r = await backfillClickHouse(getPool(), ch, {
        afterId: flag("after-id"),
        batchSize: flag("batch"),
        progress: (p) => {
          const pct = p.total ? ((100 * p.copied) / p.total).toFixed(1) : "100.0";
          const eta = p.rowsPerSecond > 0 ? Math.round((p.total - p.copied) / p.rowsPerSecond) : 0;
          log(`backfill: ${p.copied.toLocaleString("en")}/${p.total.toLocaleString("en")} events (${pct}%), ${Math.round(p.rowsPerSecond).toLocaleString("en")}/s, last id ${p.lastId}, ETA ${eta}s`);
        },
      });
      log(`backfill done: ${r.copied} events in ${r.seconds.toFixed(1)} s; resume point --after-id ${r.lastId}`);
    } finally {
      await ch.close();
      await closePool();
      await target.stop();
    }
  } else if (command === "retention") {
    // The daily retention job does this too; this runs only ClickHouse's part, now.
    const dryRun = args.includes("--dry-run");
    const target = await ensureDatabaseUrl();
    const ch = createClickHouse(env.CLICKHOUSE_URL);
    try {
      const r = await dropExpiredPartitions(ch, env.RETENTION_MONTHS, new Date(), { pool: getPool(), dryRun });
      log(
        r.dropped.length
          ? `${dryRun ? "would drop" : "dropped"} months ${r.dropped.join(", ")} (${r.rows} events, older than ${env.RETENTION_MONTHS} months)`
          : "nothing to drop",
      );
      if (r.keptUncovered.length) log(`kept ${r.keptUncovered.join(", ")}: not yet covered by finalized sessions and stats`);
    } finally {
      await ch.close();
      await closePool();
      await target.stop();
    }
  } else {
    console.error("usage: tsx src/cli/clickhouse.ts migrate | backfill [--after-id N] [--batch N] | retention [--dry-run]");
    code = 2;
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  code = 1;
} finally {
  await closeClickHouse();
}
process.exit(code);
