// Unit: start-up validation of the environment (src/env.ts).
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv, loadServerEnv } from "./env";

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
