import type { TestProject } from "vitest/node";
import { createTestClickHouse } from "./clickhouse";
import { createTestDatabase } from "./testDatabase";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Which database the project's tests run on (vitest.config.ts: one project per database). */
    databaseKind: "postgres" | "embedded";
    /** The run's ClickHouse database ("" when unavailable: see clickhouseSkipReason). */
    clickhouseUrl: string;
    clickhouseSkipReason: string;
  }
}

export default async function setup(project: TestProject) {
  // The "embedded" project runs the database tests again on the embedded PGlite; the other one on
  // PostgreSQL (a fresh database on 127.0.0.1:5432 or TEST_DATABASE_URL's server).
  const embedded = project.name === "embedded";
  // Both at once: ClickHouse starts in about a second, in parallel with the database's migrations.
  // TEST_WITHOUT=clickhouse: a machine without ClickHouse, said explicitly (its tests skip, and
  // scripts/summarize-tests.mjs lists them as not run instead of failing the run).
  const noClickHouse = (process.env.TEST_WITHOUT ?? "").toLowerCase().split(",").map((s) => s.trim()).includes("clickhouse");
  const [db, ch] = await Promise.all([
    createTestDatabase("streamscope_test", embedded ? { kind: "embedded" } : {}),
    noClickHouse ? { url: null, reason: "not run: TEST_WITHOUT=clickhouse", drop: async () => {} } : createTestClickHouse(),
  ]);
  if (!embedded && db.kind === "embedded") {
    console.warn("\n[streamscope] no PostgreSQL answered (127.0.0.1:5432 or TEST_DATABASE_URL): the postgres project runs on the embedded database too.\n");
  }
  project.provide("databaseUrl", db.url);
  project.provide("databaseKind", db.kind);
  project.provide("clickhouseUrl", ch.url ?? "");
  project.provide("clickhouseSkipReason", ch.reason ?? "");
  if (ch.reason) console.warn(`\n[streamscope] ${ch.reason}; ClickHouse tests are skipped.\n`);
  return async () => {
    await Promise.all([db.drop(), ch.drop()]);
  };
}
