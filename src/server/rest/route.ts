// One REST endpoint: authentication and rate limit (auth.ts), the scope it needs, its inputs
// parsed with the zod schemas the tRPC procedures use, and every refusal as problem+json naming
// the field. Handlers return data; this turns it into JSON (dates as ISO 8601).
import { z } from "zod";
import type { ApiTokenScope } from "~/contract";
import { CatalogError } from "~/catalog/errors";
import { log } from "~/lib/log";
import type { TokenPrincipal } from "~/tokens/tokens";
import { authenticate } from "./auth";
import { fieldProblems, problem } from "./problem";

export interface RestContext<P> {
  request: Request;
  params: P;
  principal: TokenPrincipal;
  /** The query string parsed with `schema` (a refusal names the parameter). */
  query<S extends z.ZodType>(schema: S): z.output<S>;
  /** The JSON body parsed with `schema` (a refusal names the field). */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
}

/** Thrown by the parsers and handlers: answered as is. */
export class RestProblem extends Error {
  constructor(readonly response: Response) {
    super("REST problem");
  }
}

const MAX_BODY_BYTES = 64 * 1024;

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: "query" | "body"): z.output<S> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const errors = fieldProblems(res.error.issues);
  const list = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  throw new RestProblem(problem("validation", `Invalid ${where === "query" ? "query parameters" : "body"}: ${list}`, { errors }));
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new RestProblem(problem("unsupported-media-type", "Send the body as JSON with Content-Type: application/json.", { errors: [{ field: "content-type", message: "must be application/json" }] }));
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new RestProblem(problem("validation", `The body is over ${MAX_BODY_BYTES} bytes.`, { errors: [{ field: "body", message: `at most ${MAX_BODY_BYTES} bytes` }] }));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RestProblem(problem("validation", "The body is not valid JSON.", { errors: [{ field: "body", message: "is not valid JSON" }] }));
  }
}

const CATALOG_PROBLEM = { not_found: "not-found", conflict: "conflict", invalid: "validation" } as const;

/** Data → JSON response (Dates become ISO strings through JSON.stringify). */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });
}

type RouteContext = { params: Promise<Record<string, string | string[]> | undefined> };

export function restRoute<P extends Record<string, string> = Record<string, never>>(
  scope: ApiTokenScope,
  handler: (ctx: RestContext<P>) => Promise<unknown>,
  opts: { status?: number } = {},
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const auth = await authenticate(request);
    if (!auth.ok) return auth.response;
    const { principal, headers } = auth;
    const withHeaders = (res: Response) => {
      for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
      return res;
    };
    if (scope === "write" && principal.scope !== "write") {
      return withHeaders(problem("forbidden", "This token may only read: creating and changing needs a token with the write scope."));
    }
    const url = new URL(request.url);
    // Next gives a route without dynamic segments no params at all.
    const params = ((await context?.params) ?? {}) as P;
    // No stored id holds U+0000 or a lone surrogate, or is that long: such a path names nothing.
    for (const [name, value] of Object.entries(params)) {
      if (typeof value !== "string" || /\u0000|\p{Cs}/u.test(value) || value.length > 200) {
        return withHeaders(problem("not-found", `No stream with this ${name}.`, { errors: [{ field: name, message: "not found" }] }));
      }
    }
    const ctx: RestContext<P> = {
      request,
      params,
      principal,
      query: (schema) => parseWith(schema, Object.fromEntries(url.searchParams), "query"),
      body: async (schema) => parseWith(schema, await readJson(request), "body"),
    };
    try {
      return withHeaders(json(await handler(ctx), opts.status ?? 200));
    } catch (err) {
      if (err instanceof RestProblem) return withHeaders(err.response);
      if (err instanceof z.ZodError) return withHeaders(problem("validation", "Invalid request.", { errors: fieldProblems(err.issues) }));
      if (err instanceof CatalogError) {
        return withHeaders(problem(CATALOG_PROBLEM[err.kind], err.field ? `${err.field}: ${err.message}` : err.message, err.field ? { errors: [{ field: err.field, message: err.message }] } : {}));
      }
      log.error({ err, path: url.pathname, method: request.method }, "REST API request failed");
      return withHeaders(problem("internal", "Something went wrong on the server; it has been logged."));
    }
  };
}

/** Throws a 404 problem naming the field (an organizer-bound token gets it for others' data too). */
export function notFound(detail: string, field = "id"): never {
  throw new RestProblem(problem("not-found", detail, { errors: [{ field, message: "not found" }] }));
}

export function forbidden(detail: string): never {
  throw new RestProblem(problem("forbidden", detail));
}
