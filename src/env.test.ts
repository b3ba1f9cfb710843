import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError, env, envSchema, loadEnv, loadServerEnv } from "./env";

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

const SECRET = "0123456789abcdef0123";

describe("loadServerEnv", () => {
  it("requires NEXTAUTH_URL in production outside Vercel, naming it (the session cookie's Secure flag follows from it)", () => {
    const run = () => loadServerEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET });
    expect(run).toThrow(EnvError);
    expect(run).toThrow(/NEXTAUTH_URL: missing/);
  });

  it("does not require it on Vercel, in development or when it is set", () => {
    expect(loadServerEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, VERCEL: "1" }).VERCEL).toBe(true);
    expect(loadServerEnv({ NODE_ENV: "development", NEXTAUTH_SECRET: SECRET }).NEXTAUTH_URL).toBeUndefined();
    expect(loadServerEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "https://stats.example.com" }).NEXTAUTH_URL).toBe(
      "https://stats.example.com",
    );
  });

  it("still names a missing NEXTAUTH_SECRET", () => {
    expect(() => loadServerEnv({ NODE_ENV: "production", NEXTAUTH_URL: "https://stats.example.com" })).toThrow(/NEXTAUTH_SECRET: missing/);
  });
});

describe("the client-address settings", () => {
  it("reads TRUST_PROXY, TRUSTED_GEO_HEADER and VERCEL, and names a malformed one", () => {
    const env = loadEnv({ NODE_ENV: "test", TRUST_PROXY: "2", TRUSTED_GEO_HEADER: "CF-IPCountry", VERCEL: "1" });
    expect(env.TRUST_PROXY).toEqual({ hops: 2 });
    expect(env.TRUSTED_GEO_HEADER).toBe("cf-ipcountry");
    expect(env.VERCEL).toBe(true);
    expect(loadEnv({ NODE_ENV: "test" }).TRUST_PROXY).toEqual({ hops: 0 });
    expect(() => loadEnv({ NODE_ENV: "test", TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY: a number of proxies/);
    expect(() => loadEnv({ NODE_ENV: "test", TRUSTED_GEO_HEADER: "cf ipcountry" })).toThrow(/TRUSTED_GEO_HEADER: must be a header name/);
  });
});
