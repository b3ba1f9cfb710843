// Which store answers a raw-event query (as Umami's runQuery): ClickHouse when CLICKHOUSE_URL is
// set, else PostgreSQL. Each such query has both implementations side by side in one file (see
// src/ingest/queries/ and src/aggregation/queries/); callers never know which one answered.
// Everything that is not raw events (sessions, streams, users, job runs, Bunny rows) always lives
// in PostgreSQL.
import { isClickHouseEnabled } from "~/lib/clickhouse/client";

export type EventStore = "postgres" | "clickhouse";

export function eventStore(): EventStore {
  return isClickHouseEnabled() ? "clickhouse" : "postgres";
}

export interface QueryImplementations<T> {
  postgres: () => Promise<T>;
  clickhouse: () => Promise<T>;
}

export function runQuery<T>(impl: QueryImplementations<T>): Promise<T> {
  return eventStore() === "clickhouse" ? impl.clickhouse() : impl.postgres();
}
