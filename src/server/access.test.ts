// The access table (src/server/access.ts), asserted: every tRPC procedure of the router (read at
// run time, wherever its file lives), every route handler (src/app/**/route.ts) and every page
// (src/app/**/page.tsx) is called anonymously, as a signed-in user without a role and as an admin
// (and, for cron and metrics, with their bearer token); the answers must be those of its level.
// Only where the session comes from is replaced (next-auth's getServerSession), and runJob, so no
// job actually runs.
import fs from "node:fs";
import Module from "node:module";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuthSession } from "~/server/auth";
import { ACCESS, type Access } from "./access";

type Who = "anonymous" | "user" | "admin";
const SESSIONS: Record<Who, AuthSession | null> = {
  anonymous: null,
  user: { user: { id: "access_probe_user", role: "user", email: "viewer@access.test" }, expires: "2099-01-01T00:00:00.000Z" },
  admin: { user: { id: "access_probe_admin", role: "admin", email: "admin@access.test" }, expires: "2099-01-01T00:00:00.000Z" },
};
let who: Who = "anonymous";

vi.mock("next-auth", async (importOriginal) => {
  const original = await importOriginal<typeof import("next-auth")>();
  return { ...original, getServerSession: vi.fn(async () => SESSIONS[who]) };
});
// next-auth's route reads the request's cookies and headers with require("next/headers"), which
// only answers inside Next's request scope (and vi.mock does not reach a require in a dependency).
const NEXT_HEADERS = {
  cookies: async () => ({ getAll: () => [], get: () => undefined }),
  headers: async () => new Headers({ host: "localhost" }),
};
// Our own server components import it as a module (src/trpc/server.ts): the same stand-in.
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => [], get: () => undefined }),
  headers: async () => new Headers({ host: "localhost" }),
}));
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = loader._load;
vi.mock("~/jobs/runner", async (importOriginal) => ({
  ...(await importOriginal<typeof import("~/jobs/runner")>()),
  runJob: vi.fn(async (name: string) => ({ runId: "access-probe", name, status: "skipped", figures: {}, durationMs: 0 })),
}));

const CRON_SECRET = "access-test-cron-secret";
const METRICS_TOKEN = "access-test-metrics-token";
const saved = { CRON_SECRET: process.env.CRON_SECRET, METRICS_TOKEN: process.env.METRICS_TOKEN };
beforeAll(() => {
  loader._load = function (request, parent, isMain) {
    return request === "next/headers" ? NEXT_HEADERS : originalLoad.call(this, request, parent, isMain);
  };
  process.env.CRON_SECRET = CRON_SECRET;
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  process.env.NEXTAUTH_SECRET ??= "access-test-secret-0123456789";
  process.env.NEXTAUTH_URL ??= "http://localhost";
  // What next build sets for experimental.authInterrupts (forbidden() throws without it).
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
});
afterAll(() => {
  loader._load = originalLoad;
  Object.assign(process.env, saved);
});

/** How a call ended: refused for want of a session, refused for want of the role, or let through. */
type Verdict = "sign-in" | "role" | "allowed";

const EXPECTED: Record<Exclude<Access, "cron" | "metrics" | "token">, Record<Who, Verdict>> = {
  public: { anonymous: "allowed", user: "allowed", admin: "allowed" },
  "signed-in": { anonymous: "sign-in", user: "allowed", admin: "allowed" },
  admin: { anonymous: "sign-in", user: "role", admin: "allowed" },
};

function statusVerdict(status: number): Verdict {
  // A crash says nothing about access: the probe itself must be answered.
  if (status === 500) throw new Error("answered 500");
  if (status === 401) return "sign-in";
  if (status === 403) return "role";
  return "allowed";
}

// ---------------------------------------------------------------- files

const APP = path.resolve("src/app");
function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, name) : e.name === name ? [full] : [];
  });
}
/** The URL path of a route or page file, route groups left out. */
function routeOf(file: string): string {
  const segments = path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}
/** A concrete URL and Next's params for a route path. */
function fill(route: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const url = route.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_m, rest: string | undefined, name: string) => {
    if (rest) {
      params[name] = ["session"];
      return "session";
    }
    params[name] = "access-probe";
    return "access-probe";
  });
  return { url: `http://localhost${url}`, params };
}

const routeFiles = files(APP, "route.ts").map((f) => ({ file: f, route: routeOf(f) }));
const pageFiles = files(APP, "page.tsx").map((f) => ({ file: f, route: routeOf(f) }));

// ---------------------------------------------------------------- procedures

describe("tRPC procedures", async () => {
  const { appRouter } = await import("~/server/api/root");
  // Flat at run time: "analytics.streams" → its procedure.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>;
  const trpcRoute = await import("~/app/api/trpc/[trpc]/route");

  it("every procedure of the router is in the table, and every entry is a procedure", () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ACCESS.procedures).sort());
  });

  /** One call through /api/trpc, with an input no object schema accepts (so nothing runs past the guard). */
  async function call(pathName: string, type: string): Promise<number> {
    const probe = JSON.stringify({ json: "access-probe" });
    const request =
      type === "mutation"
        ? new Request(`http://localhost/api/trpc/${pathName}`, { method: "POST", headers: { "content-type": "application/json" }, body: probe })
        : new Request(`http://localhost/api/trpc/${pathName}?input=${encodeURIComponent(probe)}`);
    const res = await trpcRoute.GET(request);
    return res.status;
  }

  it.each(Object.entries(procedures))("%s answers as its level says", async (name, proc) => {
    const level = ACCESS.procedures[name as keyof typeof ACCESS.procedures] as Access | undefined;
    expect(level, `${name} is missing from src/server/access.ts`).toBeDefined();
    if (level !== "public" && level !== "signed-in" && level !== "admin") throw new Error(`${name}: a procedure cannot be ${level}`);
    const got: Record<Who, Verdict> = { anonymous: "allowed", user: "allowed", admin: "allowed" };
    for (const w of ["anonymous", "user", "admin"] as const) {
      who = w;
      got[w] = statusVerdict(await call(name, proc._def.type));
    }
    expect(got).toEqual(EXPECTED[level]);
  });
});

// ---------------------------------------------------------------- route handlers

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

describe("route handlers", () => {
  it("every route file is in the table, and every entry is a route file", () => {
    expect(routeFiles.map((r) => r.route).sort()).toEqual(Object.keys(ACCESS.routes).sort());
  });

  it.each(routeFiles.map((r) => [r.route, r.file]))("%s answers as its level says", async (route, file) => {
    const level = ACCESS.routes[route as keyof typeof ACCESS.routes] as Access | "procedures" | undefined;
    if (!level) throw new Error(`${route} is missing from src/server/access.ts`);
    const mod = (await import(file)) as Partial<Record<(typeof METHODS)[number], Handler>>;
    const exported = METHODS.filter((m) => typeof mod[m] === "function");
    expect(exported.length, `${route} exports no HTTP method`).toBeGreaterThan(0);
    const { url, params } = fill(route);
    const send = async (method: string, headers: Record<string, string> = {}) => {
      const request = new NextRequest(url, { method, headers });
      const res = await mod[method as (typeof METHODS)[number]]!(request, { params: Promise.resolve(params) });
      expect(res.status, `${method} ${route} (${who}) crashed`).not.toBe(500);
      return res;
    };

    for (const method of exported) {
      if (level === "procedures") {
        // Each procedure's own level: checked above, through this very route. Without one, no guard applies.
        for (const w of ["anonymous", "user", "admin"] as const) {
          who = w;
          expect([401, 403], `${w} ${method} ${route}`).not.toContain((await send(method)).status);
        }
        continue;
      }
      if (level === "token") {
        // A browser session is no API token: 401 for everyone without one, a made-up one, or a
        // revoked one; a write token of the API gets past the guard.
        for (const w of ["anonymous", "user", "admin"] as const) {
          who = w;
          expect((await send(method)).status, `${w} ${method} ${route}`).toBe(401);
        }
        who = "anonymous";
        expect((await send(method, { authorization: `Bearer ${CRON_SECRET}` })).status, `${method} ${route} with another secret`).toBe(401);
        const { createToken, revokeToken } = await import("~/tokens/tokens");
        const revoked = await createToken({ name: "access probe (revoked)", scope: "write" });
        await revokeToken(revoked.info.id);
        expect((await send(method, { authorization: `Bearer ${revoked.token}` })).status, `${method} ${route} with a revoked token`).toBe(401);
        const { token } = await createToken({ name: "access probe", scope: "write" });
        const res = await send(method, { authorization: `Bearer ${token}` });
        expect([401, 403], `${method} ${route} with an API token answered ${res.status}`).not.toContain(res.status);
        continue;
      }
      if (level === "cron" || level === "metrics") {
        const token = level === "cron" ? CRON_SECRET : METRICS_TOKEN;
        const other = level === "cron" ? METRICS_TOKEN : CRON_SECRET;
        for (const w of ["anonymous", "user", "admin"] as const) {
          who = w;
          expect((await send(method)).status, `${w} ${method} ${route}`).toBe(401);
        }
        who = "anonymous";
        expect((await send(method, { authorization: `Bearer ${other}` })).status, `${method} ${route} with the other token`).toBe(401);
        const res = await send(method, { authorization: `Bearer ${token}` });
        expect([401, 403, 503], `${method} ${route} with its token answered ${res.status}`).not.toContain(res.status);
        continue;
      }
      const got: Record<Who, Verdict> = { anonymous: "allowed", user: "allowed", admin: "allowed" };
      for (const w of ["anonymous", "user", "admin"] as const) {
        who = w;
        got[w] = statusVerdict((await send(method)).status);
      }
      expect(got, `${method} ${route}`).toEqual(EXPECTED[level]);
    }
  });
});

// ---------------------------------------------------------------- pages

type Page = (props: { params: Promise<Record<string, string | string[]>>; searchParams: Promise<Record<string, string>> }) => unknown;

/** Renders the page's server function: a redirect to the login, forbidden(), or a result. */
async function pageVerdict(page: Page, params: Record<string, string | string[]>): Promise<Verdict> {
  try {
    await page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    return "allowed";
  } catch (err) {
    const digest = String((err as { digest?: string }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT") && digest.includes(";/login")) return "sign-in";
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;401") return "sign-in";
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return "role";
    // notFound() for the probe id: past the guard.
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "allowed";
    throw err;
  }
}

describe("pages", () => {
  it("every page file is in the table, and every entry is a page file", () => {
    expect(pageFiles.map((p) => p.route).sort()).toEqual(Object.keys(ACCESS.pages).sort());
  });

  it.each(pageFiles.map((p) => [p.route, p.file]))("%s answers as its level says", async (route, file) => {
    const level = ACCESS.pages[route as keyof typeof ACCESS.pages] as Access | undefined;
    expect(level, `${route} is missing from src/server/access.ts`).toBeDefined();
    if (level !== "public" && level !== "signed-in" && level !== "admin") throw new Error(`${route}: a page cannot be ${level}`);
    const page = ((await import(file)) as { default: Page }).default;
    const { params } = fill(route);
    const got: Record<Who, Verdict> = { anonymous: "allowed", user: "allowed", admin: "allowed" };
    for (const w of ["anonymous", "user", "admin"] as const) {
      who = w;
      got[w] = await pageVerdict(page, params);
    }
    expect(got).toEqual(EXPECTED[level]);
  });
});
