// A fresh, migrated database for one test run: TEST_DATABASE_URL's server if set, otherwise
// PostgreSQL on 127.0.0.1:5432 if it answers, otherwise an in-memory embedded PGlite; or, asked
// for `kind: "embedded"`, always the embedded one (vitest's second project runs the database
// tests on it: vitest.config.ts). Used by vitest's global setup and the e2e and benchmark scripts.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { migrate } from "~/lib/db/migrate";

export interface TestDatabase {
  url: string;
  kind: "postgres" | "embedded";
  drop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The embedded database in a child process (src/test/embeddedServer.ts); dropped = stopped. */
export function startEmbeddedTestDatabase(): Promise<TestDatabase> {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/test/embeddedServer.ts")], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise<TestDatabase>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)\n/.exec(out);
      if (m) {
        resolve({
          url: m[1]!,
          kind: "embedded",
          async drop() {
            child.stdin.end();
            const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
            await exited;
            clearTimeout(killer);
          },
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`embedded test database exited (${code}) before it was ready: ${err.trim()}`)));
  });
}

export async function createTestDatabase(prefix = "streamscope_test", opts: { kind?: "embedded" } = {}): Promise<TestDatabase> {
  if (opts.kind === "embedded" || process.env.TEST_DATABASE_KIND === "embedded") return startEmbeddedTestDatabase();
  const server = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  if (process.env.TEST_DATABASE_URL || (await answers(server))) {
    const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(server, name);
    await migrate(url);
    return {
      url,
      kind: "postgres",
      async drop() {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  return startEmbeddedTestDatabase();
}
