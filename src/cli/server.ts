// npm start — the production server for self-hosting: validates the environment, opens the
// database (embedded when DATABASE_URL is unset), applies pending migrations and serves the app,
// and runs the scheduled jobs in-process unless SCHEDULER=off (Vercel, or `npm run worker` apart).
import { loadServerEnv, EnvError } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { migrateClickHouse } from "~/lib/clickhouse/migrate";
import { closePool } from "~/lib/db/pool";
import { startHttpServer } from "~/server/httpServer";
import { fastRoutes } from "~/server/fastRoutes";
import { ingestDeps } from "~/ingest/handler";
import { startScheduler } from "~/worker/scheduler";

/** `host`: where to listen when HOST is unset (default 0.0.0.0: a server is for the network). */
export async function main(opts: { banner?: (url: string) => void; host?: string } = {}) {
  let env;
  try {
    env = loadServerEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const database = await ensureDatabaseUrl();
  await migrate(database.url, { log: (l) => console.log(`[migrate] ${l}`) });
  if (env.CLICKHOUSE_URL) await migrateClickHouse(env.CLICKHOUSE_URL, { log: (l) => console.log(`[migrate] ${l}`) });
  const started = await startHttpServer({ port: env.PORT, host: env.HOST ?? opts.host ?? "0.0.0.0", fastRoutes: fastRoutes() });
  console.log(`Streamscope is serving ${started.url} (database: ${database.embedded ? "embedded PGlite" : "DATABASE_URL"})`);
  const scheduler = env.SCHEDULER === "on" ? startScheduler({ trigger: "scheduler" }) : null;
  if (scheduler) {
    const plan = scheduler.jobs.map((j) => `${j.path.replace("/api/cron/", "")} (${j.schedule})`).join(", ");
    console.log(`Scheduled jobs run in this process: ${plan}. SCHEDULER=off turns them off.`);
  } else {
    console.log("Scheduled jobs are off here (SCHEDULER=off): Vercel Cron or `npm run worker` must run them.");
  }
  opts.banner?.(started.url);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // No new job starts; a run under way finishes before the pool closes.
    await scheduler?.stop();
    await started.close();
    // Batches already queued for a group commit are written before the pool closes.
    await ingestDeps().writer.drain();
    await closePool();
    await database.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return started;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
