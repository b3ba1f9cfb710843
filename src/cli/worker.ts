// npm run worker — for deployments without Vercel Cron: runs every job of vercel.json's `crons` on
// the same schedule (UTC), in this one long-running process. Stop with Ctrl-C / SIGTERM: scheduling
// stops and runs under way finish first. Each run is logged (JSON, pino) and recorded in job_runs.
import path from "node:path";
import { loadEnv } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { closePool } from "~/lib/db/pool";
import { disconnectPrisma } from "~/lib/db/prisma";
import { log } from "~/lib/log";
import { startScheduler } from "~/worker/scheduler";

loadEnv();
const file = path.resolve(process.argv[2] ?? "vercel.json");
const target = await ensureDatabaseUrl();
// Next to `npm start` (or a second worker) each tick still runs once: the first claim wins.
const worker = startScheduler({ file, trigger: "worker" });
for (const j of worker.jobs) {
  console.log(`${j.path.padEnd(24)} ${j.schedule.padEnd(14)} next ${j.cron.nextRun()?.toISOString() ?? "never"}`);
}
if (worker.jobs.length === 0) {
  console.error(`no job to run: ${file} names none this worker knows`);
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker: stopping; waiting for runs under way");
  await worker.stop();
  await disconnectPrisma();
  await closePool();
  await target.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
