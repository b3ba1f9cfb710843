import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET } from "./route";

const saved = { ...process.env };
beforeEach(() => {
  process.env.CRON_SECRET = "cron-test-secret";
});
afterEach(() => {
  process.env = { ...saved };
});

const call = (auth = "Bearer cron-test-secret") =>
  GET(new Request("http://localhost/api/cron/bunny-sync", { headers: { authorization: auth } }));

describe("GET /api/cron/bunny-sync", () => {
  it("refuses a wrong bearer token", async () => {
    const res = await call("Bearer nope");
    expect(res.status).toBe(401);
  });

  it("answers 501 naming BUNNY_API_KEY when it is unset", async () => {
    delete process.env.BUNNY_API_KEY;
    process.env.BUNNY_LIBRARY_ID = "218441";
    const res = await call();
    expect(res.status).toBe(501);
    const body = await res.json();
    expect(body.missing).toEqual(["BUNNY_API_KEY"]);
    expect(body.error).toMatch(/not configured: set BUNNY_API_KEY$/);
  });

  it("answers 500 with the variable when BUNNY_WATCH_TIME_UNIT is wrong", async () => {
    process.env.BUNNY_API_KEY = "k";
    process.env.BUNNY_WATCH_TIME_UNIT = "hours";
    const res = await call();
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatch(/BUNNY_WATCH_TIME_UNIT/);
  });
});
