// /api/v1 through its route handlers: the same figures as the dashboard's tRPC queries for the
// same range, tokens (read cannot write: 403; organizer-bound: 404 for others; revoked: 401),
// the per-token rate limit (429 with Retry-After), bad input as problem+json naming the field,
// cursor pagination, and every answer valid against the OpenAPI document.
import { Validator, type Schema } from "@cfworker/json-schema";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsFixture, D1, D2, D3 } from "~/analytics/analytics.testkit";
import { resetEnvCache } from "~/env";
import { createCaller } from "~/server/api/root";
import type { AuthSession } from "~/server/auth";
import { uid } from "~/test/factories";
import { createToken, revokeToken } from "~/tokens/tokens";
import * as live from "~/app/api/v1/live/route";
import * as openapiRoute from "~/app/api/v1/openapi.json/route";
import * as organizers from "~/app/api/v1/organizers/route";
import * as streams from "~/app/api/v1/streams/route";
import * as stream from "~/app/api/v1/streams/[id]/route";
import * as breakdown from "~/app/api/v1/streams/[id]/breakdown/route";
import * as series from "~/app/api/v1/streams/[id]/series/route";
import * as stats from "~/app/api/v1/streams/[id]/stats/route";
import { call, type doc } from "./rest.testkit";

const admin: AuthSession = { user: { id: "u_admin", role: "admin", email: "a@x" }, expires: "2999-01-01T00:00:00Z" };
const dashboard = createCaller({ session: admin });
const GUID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

let fx: Awaited<ReturnType<typeof createAnalyticsFixture>>;
let read: string;
let write: string;
let boundA: string;
let boundWriteA: string;
beforeAll(async () => {
  fx = await createAnalyticsFixture();
  read = (await createToken({ name: "read", scope: "read" })).token;
  write = (await createToken({ name: "write", scope: "write" })).token;
  boundA = (await createToken({ name: "org A", scope: "read", organizerId: fx.orgA.id })).token;
  boundWriteA = (await createToken({ name: "org A write", scope: "write", organizerId: fx.orgA.id })).token;
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1, served at /api/v1/openapi.json, and lists every method of every route file (and nothing else)", async () => {
    const res = await (openapiRoute.GET as () => Response)();
    const served = (await res.json()) as typeof doc;
    expect(served.openapi).toBe("3.1.0");
    const documented = Object.entries(served.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const routes: [string, Record<string, unknown>][] = [
      ["/organizers", organizers],
      ["/streams", streams],
      ["/streams/{id}", stream],
      ["/streams/{id}/stats", stats],
      ["/streams/{id}/series", series],
      ["/streams/{id}/breakdown", breakdown],
      ["/live", live],
    ];
    const exported = routes.flatMap(([p, mod]) => ["GET", "POST", "PATCH", "PUT", "DELETE"].filter((m) => typeof mod[m] === "function").map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(exported.sort());
    // Every route file under src/app/api/v1 is one of those (or the document itself).
    const fs = await import("node:fs");
    const files = (fs.readdirSync("src/app/api/v1", { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts"));
    expect(files.length).toBe(routes.length + 1);
    // Every schema in it is valid JSON Schema 2020-12 (the validator compiles each).
    for (const ops of Object.values(served.paths)) {
      for (const op of Object.values(ops as Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>)) {
        for (const r of Object.values(op.responses)) for (const c of Object.values(r.content ?? {})) new Validator({ ...(c.schema as object), components: served.components } as Schema, "2020-12");
      }
    }
  });
});

describe("figures: the same as the dashboard's for the same range", () => {
  it("stats of a stream = its row of the dashboard's streams table", async () => {
    for (const [from, to] of [
      [D1, D3],
      [D2, D2],
    ] as const) {
      const res = await call(stats, "/streams/{id}/stats", "GET", { token: read, id: fx.s1.id, query: { from, to } });
      expect(res.status).toBe(200);
      const table = await dashboard.analytics.streams({ from, to, organizerId: fx.orgA.id, sort: "title", dir: "asc" });
      const row = table.rows.find((r) => r.id === fx.s1.id)!;
      const { id: _i, title: _t, status: _s, organizerId: _o, organizerName: _n, provider: _p, scheduledStartAt: _a, startedAt: _b, endedAt: _c, ...figures } = row;
      expect(res.body).toEqual({ streamId: fx.s1.id, from, to, figures });
    }
    // Known by hand (analytics.test.ts): 3 viewers, 4 sessions, 1000 s over D1–D3.
    const r = await call(stats, "/streams/{id}/stats", "GET", { token: read, id: fx.s1.id, query: { from: D1, to: D3 } });
    expect(r.body.figures).toMatchObject({ uniqueViewers: 3, sessions: 4, watchSeconds: 1000, peakConcurrent: 2 });
  });

  it("the daily series = the dashboard's daily chart for that stream; the minute series has every minute", async () => {
    const day = await call(series, "/streams/{id}/series", "GET", { token: read, id: fx.s1.id, query: { granularity: "day", from: D1, to: D3 } });
    const s1Days = (day.body.points as { day: string; sessions: number; watchSeconds: number }[]).map((p) => [p.day, p.sessions, p.watchSeconds]);
    expect(s1Days.map((d) => d[0])).toEqual([D1, D2, D3]);
    expect(s1Days.reduce((n, d) => n + (d[1] as number), 0)).toBe(4);
    const minute = await call(series, "/streams/{id}/series", "GET", { token: read, id: fx.s1.id, query: { granularity: "minute", from: D2, to: D2 } });
    const points = minute.body.points as { t: string; viewers: number }[];
    expect(points).toHaveLength(1440);
    expect(points.filter((p) => p.viewers > 0).map((p) => p.t)).toEqual([`${D2}T12:00:00.000Z`, `${D2}T13:00:00.000Z`]);
    const tooLong = await call(series, "/streams/{id}/series", "GET", { token: read, id: fx.s1.id, query: { granularity: "minute", from: D1, to: "2025-03-20" } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([{ field: "to", message: "the range may span at most 7 days for granularity=minute" }]);
  });

  it("the breakdown = the stream page's countries and devices", async () => {
    const page = await dashboard.analytics.stream({ id: fx.s1.id });
    const c = await call(breakdown, "/streams/{id}/breakdown", "GET", { token: read, id: fx.s1.id, query: { by: "country" } });
    expect(c.body.items).toEqual(page.countries.map((x) => ({ key: x.country, sessions: x.sessions, watchSeconds: x.watchSeconds })));
    const d = await call(breakdown, "/streams/{id}/breakdown", "GET", { token: read, id: fx.s1.id, query: { by: "device" } });
    expect(d.body.items).toEqual(page.devices.map((x) => ({ key: x.device, sessions: x.sessions, watchSeconds: null })));
    const bad = await call(breakdown, "/streams/{id}/breakdown", "GET", { token: read, id: fx.s1.id, query: { by: "browser" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "by", message: "must be country or device" }]);
  });

  it("live = the live page's streams", async () => {
    const res = await call(live, "/live", "GET", { token: read });
    const page = await dashboard.analytics.live();
    expect((res.body.streams as { id: string }[]).map((s) => s.id)).toEqual(page.streams.map((s) => s.id));
    const bound = await call(live, "/live", "GET", { token: boundA });
    expect((bound.body.streams as { organizer: { id: string } }[]).every((s) => s.organizer.id === fx.orgA.id)).toBe(true);
  });
});

describe("tokens and scopes", () => {
  it("no token or a made-up one: 401 with WWW-Authenticate; revoked: 401", async () => {
    const none = await call(streams, "/streams", "GET");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await call(streams, "/streams", "GET", { token: "sst_madeup" })).status).toBe(401);
    const t = await createToken({ name: "soon revoked", scope: "write" });
    expect((await call(streams, "/streams", "GET", { token: t.token })).status).toBe(200);
    await revokeToken(t.info.id);
    const revoked = await call(streams, "/streams", "GET", { token: t.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toBe("The token is unknown or revoked.");
  });

  it("a read token cannot write (403); a write token creates and patches", async () => {
    const denied = await call(organizers, "/organizers", "POST", { token: read, body: { name: "Nope" } });
    expect(denied.status).toBe(403);
    const o = await call(organizers, "/organizers", "POST", { token: write, body: { name: uid("Rest Org") } });
    expect(o.status).toBe(201);
    const s = await call(streams, "/streams", "POST", {
      token: write,
      body: { organizerId: o.body.id, title: "Rest stream", provider: "bunny_stream", bunnyUrl: `https://iframe.mediadelivery.net/play/218441/${GUID}` },
    });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ status: "scheduled", provider: { kind: "bunny_stream", libraryId: "218441", videoGuid: GUID } });
    expect((await call(stream, "/streams/{id}", "PATCH", { token: read, id: s.body.id as string, body: { status: "live" } })).status).toBe(403);
    const liveNow = await call(stream, "/streams/{id}", "PATCH", { token: write, id: s.body.id as string, body: { status: "live" } });
    expect(liveNow.body).toMatchObject({ status: "live", startedAt: expect.any(String), endedAt: null });
    const back = await call(stream, "/streams/{id}", "PATCH", { token: write, id: s.body.id as string, body: { status: "scheduled" } });
    expect(back.status).toBe(400);
    expect(back.body.errors).toEqual([{ field: "status", message: "cannot go from live to scheduled (allowed: ended)" }]);
    const got = await call(stream, "/streams/{id}", "GET", { token: read, id: s.body.id as string });
    expect(got.body).toEqual(liveNow.body);
    // Archived through PATCH: refused while live, then ended and archived in one request, restored.
    const refused = await call(stream, "/streams/{id}", "PATCH", { token: write, id: s.body.id as string, body: { archived: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([{ field: "status", message: "is live: end it before archiving" }]);
    const archived = await call(stream, "/streams/{id}", "PATCH", { token: write, id: s.body.id as string, body: { status: "ended", archived: true } });
    expect(archived.body).toMatchObject({ status: "ended", archivedAt: expect.any(String), endedAt: expect.any(String) });
    const listed = await call(streams, "/streams", "GET", { token: read, query: { organizerId: o.body.id as string } });
    expect(listed.body.data).toEqual([]);
    const restored = await call(stream, "/streams/{id}", "PATCH", { token: write, id: s.body.id as string, body: { archived: false } });
    expect(restored.body).toMatchObject({ archivedAt: null });
  });

  it("an organizer-bound token sees only its organizer: 404 for another's stream, lists filtered, no new organizers", async () => {
    expect((await call(stream, "/streams/{id}", "GET", { token: boundA, id: fx.s1.id })).status).toBe(200);
    const other = await call(stream, "/streams/{id}", "GET", { token: boundA, id: fx.s3.id });
    expect(other.status).toBe(404);
    expect((await call(stats, "/streams/{id}/stats", "GET", { token: boundA, id: fx.s3.id })).status).toBe(404);
    expect((await call(series, "/streams/{id}/series", "GET", { token: boundA, id: fx.s3.id })).status).toBe(404);
    expect((await call(breakdown, "/streams/{id}/breakdown", "GET", { token: boundA, id: fx.s3.id, query: { by: "device" } })).status).toBe(404);
    expect((await call(stream, "/streams/{id}", "PATCH", { token: boundWriteA, id: fx.s3.id, body: { title: "mine now" } })).status).toBe(404);
    const list = await call(streams, "/streams", "GET", { token: boundA, query: { limit: "100" } });
    expect((list.body.data as { organizer: { id: string } }[]).every((s) => s.organizer.id === fx.orgA.id)).toBe(true);
    const orgs = await call(organizers, "/organizers", "GET", { token: boundA });
    expect((orgs.body.data as { id: string }[]).map((o) => o.id)).toEqual([fx.orgA.id]);
    expect((await call(organizers, "/organizers", "POST", { token: boundWriteA, body: { name: "Other" } })).status).toBe(403);
    const elsewhere = await call(streams, "/streams", "POST", { token: boundWriteA, body: { organizerId: fx.orgB.id, title: "x", provider: "youtube", youtube: "dQw4w9WgXcQ" } });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.errors).toEqual([{ field: "organizerId", message: `No organizer with id "${fx.orgB.id}".` }]);
  });
});

describe("bad input: 400 problem+json naming the field", () => {
  it.each([
    ["a missing title and a bad YouTube URL", { organizerId: "x", provider: "youtube", youtube: "https://vimeo.com/1" }, ["title", "youtube"]],
    ["an unknown provider", { organizerId: "x", title: "t", provider: "vimeo" }, ["provider"]],
    ["a bad Bunny URL", { organizerId: "x", title: "t", provider: "bunny_stream", bunnyUrl: "https://example.com" }, ["bunnyUrl"]],
    ["a schedule ending before it starts", { organizerId: "x", title: "t", provider: "youtube", youtube: "dQw4w9WgXcQ", scheduledStartAt: "2026-01-02T10:00:00Z", scheduledEndAt: "2026-01-02T09:00:00Z" }, ["scheduledEndAt"]],
    ["a body that is an array", [], ["body"]],
    ["U+0000 in the title and a lone surrogate in the organizer id", { organizerId: "x\ud800", title: "a\u0000b", provider: "youtube", youtube: "dQw4w9WgXcQ" }, ["organizerId", "title"]],
  ])("POST /streams with %s", async (_what, body, fields) => {
    const res = await call(streams, "/streams", "POST", { token: write, body });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe("urn:streamscope:problem:validation");
    expect(res.body.errors!.map((e) => e.field).sort()).toEqual([...fields].sort());
  });

  it("bodies that are not JSON, queries out of range, cursors not given out", async () => {
    const notJson = await call(organizers, "/organizers", "POST", { token: write, rawBody: "{nope" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors).toEqual([{ field: "body", message: "is not valid JSON" }]);
    const form = await call(organizers, "/organizers", "POST", { token: write, rawBody: "name=x", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const limit = await call(streams, "/streams", "GET", { token: read, query: { limit: "1000" } });
    expect(limit.body.errors).toEqual([{ field: "limit", message: "must be 1 to 100" }]);
    const cursor = await call(streams, "/streams", "GET", { token: read, query: { cursor: "bogus" } });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([{ field: "cursor", message: "is not a cursor this API gave out" }]);
    const range = await call(stats, "/streams/{id}/stats", "GET", { token: read, id: fx.s1.id, query: { from: D3, to: D1 } });
    expect(range.body.errors).toEqual([{ field: "to", message: "must be on or after from" }]);
    const notDay = await call(stats, "/streams/{id}/stats", "GET", { token: read, id: fx.s1.id, query: { from: "2025-02-30" } });
    expect(notDay.body.errors).toEqual([{ field: "from", message: "is not a real day" }]);
    expect((await call(stream, "/streams/{id}", "GET", { token: read, id: "no-such-stream" })).status).toBe(404);
  });
});

describe("pagination", () => {
  it("walks every stream once with cursor/nextCursor", async () => {
    const o = await call(organizers, "/organizers", "POST", { token: write, body: { name: uid("Paged") } });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await call(streams, "/streams", "POST", { token: write, body: { organizerId: o.body.id, title: `P${i}`, provider: "youtube", youtube: "dQw4w9WgXcQ" } });
      made.push(s.body.id as string);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(streams, "/streams", "GET", { token: read, query: { organizerId: o.body.id as string, limit: "2", ...(cursor ? { cursor } : {}) } });
      seen.push(...(res.body.data as { id: string }[]).map((s) => s.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
  });
});

describe("rate limit per token", () => {
  afterEach(() => {
    delete process.env.API_RATE_LIMIT_PER_MINUTE;
    resetEnvCache();
  });

  it("429 with Retry-After past the limit, counted per token, on every endpoint", async () => {
    process.env.API_RATE_LIMIT_PER_MINUTE = "3";
    const a = (await createToken({ name: "limited a", scope: "read" })).token;
    const b = (await createToken({ name: "limited b", scope: "read" })).token;
    const endpoints: [Record<string, unknown>, string, string | undefined][] = [
      [organizers, "/organizers", undefined],
      [streams, "/streams", undefined],
      [stream, "/streams/{id}", fx.s1.id],
      [stats, "/streams/{id}/stats", fx.s1.id],
      [series, "/streams/{id}/series", fx.s1.id],
      [breakdown, "/streams/{id}/breakdown", fx.s1.id],
      [live, "/live", undefined],
    ];
    for (const [route, template, id] of endpoints) {
      const t = (await createToken({ name: `limited ${template}`, scope: "read" })).token;
      const q: Record<string, string> = template.endsWith("breakdown") ? { by: "country" } : {};
      for (let i = 0; i < 3; i++) expect((await call(route, template, "GET", { token: t, id, query: q })).status, template).toBe(200);
      const refused = await call(route, template, "GET", { token: t, id, query: q });
      expect(refused.status, template).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    for (let i = 0; i < 3; i++) await call(streams, "/streams", "GET", { token: a });
    expect((await call(streams, "/streams", "GET", { token: a })).status).toBe(429);
    // Another token has its own allowance.
    expect((await call(streams, "/streams", "GET", { token: b })).status).toBe(200);
  });
});
