// The ClickHouse client factory, literal escaping (18.16 has no query parameters) and the
// versioned migration runner.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clickhouseUrl, describeClickHouse } from "~/test/useClickHouse";
import { chInt, chList, chNumber, chRows, chString, chUuid, createClickHouse, parseClickHouseUrl } from "./client";
import { listClickHouseMigrations, migrateClickHouse, splitStatements } from "./migrate";

describe("CLICKHOUSE_URL", () => {
  it("splits server, database and credentials", () => {
    expect(parseClickHouseUrl("http://bob:s%40cret@ch.internal:8123/analytics")).toEqual({
      url: "http://ch.internal:8123",
      database: "analytics",
      username: "bob",
      password: "s@cret",
    });
    expect(parseClickHouseUrl("https://ch.example.com")).toMatchObject({ database: "streamscope", username: "default", password: "" });
  });

  it("refuses other schemes and database names that are not identifiers", () => {
    expect(() => parseClickHouseUrl("tcp://127.0.0.1:9000/x")).toThrow(/http/);
    expect(() => parseClickHouseUrl("http://127.0.0.1:8123/a;DROP")).toThrow(/invalid database name/);
  });
});

describe("literals", () => {
  it("escape strings and refuse what is not a number or UUID", () => {
    expect(chString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(chNumber(1.5)).toBe("1.5");
    expect(() => chNumber(Number.NaN)).toThrow();
    expect(() => chInt(1.5)).toThrow();
    expect(() => chUuid("1' OR 1=1")).toThrow();
    expect(chList([], chString)).toBe("(NULL)");
    expect(chList(["a", "b"], chString)).toBe("('a', 'b')");
  });

  it("splits migration files into statements, ignoring comment lines", () => {
    expect(splitStatements("-- note; here\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nCREATE TABLE b (y String) ENGINE = Memory;\n")).toEqual([
      "CREATE TABLE a (x UInt8) ENGINE = Memory",
      "CREATE TABLE b (y String) ENGINE = Memory",
    ]);
    expect(listClickHouseMigrations().map((m) => m.version)).toEqual([...listClickHouseMigrations().map((m) => m.version)].sort((a, b) => a - b));
  });
});

describeClickHouse("against ClickHouse", () => {
  it("round-trips hostile strings through an inlined literal", async () => {
    const ch = createClickHouse(clickhouseUrl);
    const nasty = "a'b\\c\n\t\"d\u0000é😀 '); DROP TABLE x; --";
    const [row] = await chRows<{ s: string }>(ch, `SELECT ${chString(nasty)} AS s`);
    expect(row!.s).toBe(nasty);
    await ch.close();
  });

  it("migrates a fresh database, is a no-op the second time, and refuses an edited migration", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chmig-"));
    const db = `mig_test_${Date.now().toString(36)}`;
    const url = new URL(clickhouseUrl);
    url.pathname = `/${db}`;
    fs.writeFileSync(path.join(dir, "001_first.sql"), "CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
    fs.writeFileSync(path.join(dir, "002_second.sql"), "-- two statements\nCREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;\nINSERT INTO b VALUES (7);\n");
    const ch = createClickHouse(url.toString(), { database: null });
    try {
      expect(await migrateClickHouse(url.toString(), { dir })).toEqual({ database: db, applied: ["001_first", "002_second"], alreadyApplied: 0 });
      expect(await migrateClickHouse(url.toString(), { dir })).toEqual({ database: db, applied: [], alreadyApplied: 2 });
      expect(await chRows(ch, `SELECT x FROM ${db}.b`)).toEqual([{ x: 7 }]);
      fs.writeFileSync(path.join(dir, "003_third.sql"), "CREATE TABLE IF NOT EXISTS c (x UInt8) ENGINE = Memory;\n");
      expect((await migrateClickHouse(url.toString(), { dir })).applied).toEqual(["003_third"]);
      fs.appendFileSync(path.join(dir, "001_first.sql"), "-- edited\n");
      await expect(migrateClickHouse(url.toString(), { dir })).rejects.toThrow(/001_first was edited/);
      fs.writeFileSync(path.join(dir, "004_bad.sql"), "CREATE TABLE nope (x NoSuchType) ENGINE = Memory;\n");
      fs.writeFileSync(path.join(dir, "001_first.sql"), "CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
      await expect(migrateClickHouse(url.toString(), { dir })).rejects.toThrow(/004_bad failed/);
    } finally {
      await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
      await ch.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the project's schema: events partitioned by month, keyed for dedup per stream and viewer", async () => {
    const ch = createClickHouse(clickhouseUrl);
    const [t] = await chRows<{ engine: string; partition_key: string; sorting_key: string }>(
      ch,
      "SELECT engine, partition_key, sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'playback_events'",
    );
    expect(t).toEqual({
      engine: "ReplacingMergeTree",
      partition_key: "toYYYYMM(toDateTime(intDiv(event_ms, 1000)), 'UTC')",
      sorting_key: "stream_id, client_id, seq",
    });
    await ch.close();
  });
});
