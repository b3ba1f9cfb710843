// A fresh, migrated database for one test run: TEST_DATABASE_URL's server if set, otherwise
// PostgreSQL on 127.0.0.1:5432 if it answers, otherwise an in-memory embedded PGlite.
// Used by vitest's global setup and by the end-to-end and benchmark scripts.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "~/lib/db/migrate";
import { startEmbeddedDatabase } from "~/lib/db/embedded";

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

export async function createTestDatabase(prefix = "streamscope_test"): Promise<TestDatabase> {
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
  const embedded = await startEmbeddedDatabase({ dataDir: "memory://", port: 0 });
  await migrate(embedded.url);
  return { url: embedded.url, kind: "embedded", drop: () => embedded.stop() };
}
