// For ClickHouse test files: the run's ClickHouse database (globalSetup.ts) and a describe that
// skips, saying why, when ClickHouse could not be installed or started. Test files run in their own
// processes, so setting CLICKHOUSE_URL here switches only this file to the ClickHouse event store.
import { describe, inject } from "vitest";

export const clickhouseUrl = inject("clickhouseUrl");
export const clickhouseSkipReason = inject("clickhouseSkipReason");

export const describeClickHouse: typeof describe = clickhouseUrl ? describe : (describe.skip as typeof describe);
if (!clickhouseUrl) console.warn(`[streamscope] skipping ClickHouse tests: ${clickhouseSkipReason || "no ClickHouse"}`);

/** Runs `fn` with CLICKHOUSE_URL set (ClickHouse event store) or unset (PostgreSQL). */
export async function withStore<T>(store: "postgres" | "clickhouse", fn: () => Promise<T>): Promise<T> {
  const before = process.env.CLICKHOUSE_URL;
  if (store === "clickhouse") process.env.CLICKHOUSE_URL = clickhouseUrl;
  else delete process.env.CLICKHOUSE_URL;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.CLICKHOUSE_URL;
    else process.env.CLICKHOUSE_URL = before;
  }
}
