import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError, env, envSchema, loadEnv } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("src/env.ts", () => {
  it("documents every variable in .env.example", () => {
    const example = fs.readFileSync(".env.example", "utf8");
    const missing = Object.keys(envSchema.shape).filter((name) => !new RegExp(`^#? ?${name}=`, "m").test(example));
    expect(missing).toEqual([]);
  });

  it("env.NAME is the variable as set now, with its default when unset", () => {
    delete process.env.RETENTION_MONTHS;
    expect(env.RETENTION_MONTHS).toBe(13);
    process.env.RETENTION_MONTHS = "7";
    expect(env.RETENTION_MONTHS).toBe(7);
    process.env = { ...process.env, RETENTION_MONTHS: "9" };
    expect(env.RETENTION_MONTHS).toBe(9);
    delete process.env.CLICKHOUSE_URL;
    expect(env.CLICKHOUSE_URL).toBeUndefined();
    process.env.CLICKHOUSE_URL = "http://127.0.0.1:8123/streamscope";
    expect(env.CLICKHOUSE_URL).toBe("http://127.0.0.1:8123/streamscope");
  });

  it("a malformed variable throws EnvError naming it when read; the others stay readable", () => {
    process.env.BUNNY_WATCH_TIME_UNIT = "hours";
    process.env.CRON_SECRET = "s3cret";
    expect(() => env.BUNNY_WATCH_TIME_UNIT).toThrow(EnvError);
    expect(() => env.BUNNY_WATCH_TIME_UNIT).toThrow(/BUNNY_WATCH_TIME_UNIT: not one of seconds, milliseconds, minutes/);
    expect(env.CRON_SECRET).toBe("s3cret");
    process.env.BUNNY_WATCH_TIME_UNIT = " Minutes ";
    expect(env.BUNNY_WATCH_TIME_UNIT).toBe("minutes");
    // loadEnv() (start-up) reports every malformed variable at once.
    expect(() => loadEnv({ ...process.env, BUNNY_WATCH_TIME_UNIT: "hours", DB_POOL_MAX: "0" })).toThrow(/BUNNY_WATCH_TIME_UNIT[\s\S]*DB_POOL_MAX|DB_POOL_MAX[\s\S]*BUNNY_WATCH_TIME_UNIT/);
  });
});
