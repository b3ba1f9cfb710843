// Run as a child process by lease.test.ts: starts job `retention` against the database given on
// the command line with a short lease, says "running <runId>" once its work has begun, and then
// works forever, until the test kills it with SIGKILL (no chance to release anything).
import pg from "pg";
import { runJob } from "./runner";

const [url, leaseMs] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 2 });
await runJob(
  "retention",
  "test",
  async (ctx) => {
    process.stdout.write(`running ${ctx.runId}\n`);
    await new Promise(() => {});
    return {};
  },
  { pool, leaseMs: Number(leaseMs) },
);
