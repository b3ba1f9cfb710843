import type { TestProject } from "vitest/node";
import { createTestClickHouse } from "./clickhouse";
import { createTestDatabase } from "./testDatabase";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The run's ClickHouse database ("" when unavailable: see clickhouseSkipReason). */
    clickhouseUrl: string;
    clickhouseSkipReason: string;
  }
}

export default async function setup(project: TestProject) {
  // Both at once: ClickHouse starts in about a second, in parallel with PostgreSQL's migrations.
  const [db, ch] = await Promise.all([createTestDatabase(), createTestClickHouse()]);
  project.provide("databaseUrl", db.url);
  project.provide("clickhouseUrl", ch.url ?? "");
  project.provide("clickhouseSkipReason", ch.reason ?? "");
  if (ch.reason) console.warn(`\n[streamscope] ${ch.reason}; ClickHouse tests are skipped.\n`);
  return async () => {
    await Promise.all([db.drop(), ch.drop()]);
  };
}
