// ClickHouse for one test run: TEST_CLICKHOUSE_URL's server if set, otherwise a private server
// started by scripts/clickhouse-local.sh (installed with apt when absent) on free ports with its
// data under .data/clickhouse-test, stopped afterwards. Each run gets a fresh database, dropped
// afterwards. When ClickHouse truly cannot be had, `reason` says why and ClickHouse tests skip.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { createClickHouse } from "~/lib/clickhouse/client";
import { migrateClickHouse } from "~/lib/clickhouse/migrate";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const script = path.join(root, "scripts/clickhouse-local.sh");

export interface TestClickHouse {
  /** CLICKHOUSE_URL for the run's database; null when unavailable. */
  url: string | null;
  reason: string | null;
  drop(): Promise<void>;
}

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** An HTTP port whose next two ports (native, interserver) are free too. */
async function freePorts(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await free(p)) && (await free(p + 1)) && (await free(p + 2))) return p;
  }
  throw new Error("no free ports for ClickHouse");
}

interface LocalServer {
  url: string | null;
  reason: string | null;
  users: number;
  stop(): Promise<void>;
}

// One private server per process, shared by the callers in it (vitest's two projects each set up
// their run's database on it), stopped when the last one drops its database.
const shared = globalThis as unknown as { streamscopeClickHouse?: Promise<LocalServer> };

async function startLocalServer(): Promise<LocalServer> {
  const dir = path.join(root, ".data", `clickhouse-test-${process.pid}`);
  try {
    const port = await freePorts();
    const { stdout } = await run("bash", [script, "start", dir, String(port)], { timeout: 600_000 });
    return {
      url: stdout.trim().split("\n").pop()!,
      reason: null,
      users: 0,
      async stop() {
        await run("bash", [script, "stop", dir]).catch(() => {});
        await run("rm", ["-rf", dir]).catch(() => {});
      },
    };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const reason = (e.stderr || e.message).trim().split("\n").slice(-3).join(" ");
    await run("bash", [script, "stop", dir]).catch(() => {});
    return { url: null, reason: `ClickHouse unavailable: ${reason}`, users: 0, stop: async () => {} };
  }
}

export async function createTestClickHouse(prefix = "streamscope_test"): Promise<TestClickHouse> {
  let server = process.env.TEST_CLICKHOUSE_URL?.trim() || null;
  let stop = async () => {};
  if (!server) {
    const local = await (shared.streamscopeClickHouse ??= startLocalServer());
    if (!local.url) return { url: null, reason: local.reason, drop: async () => {} };
    server = local.url;
    local.users++;
    stop = async () => {
      if (--local.users > 0) return;
      shared.streamscopeClickHouse = undefined;
      await local.stop();
    };
  }
  const database = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const base = new URL(server);
  base.pathname = `/${database}`;
  const url = base.toString();
  try {
    await migrateClickHouse(url);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    reason: null,
    async drop() {
      const ch = createClickHouse(url, { database: null });
      await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
      await ch.close();
      await stop();
    },
  };
}
