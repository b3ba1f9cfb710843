// Test support for /api/v1: calls a route handler like Next.js would and checks the answer
// against the OpenAPI document (JSON Schema 2020-12, @cfworker/json-schema): successes against the
// operation's schema, refusals as problem+json against the Problem schema.
import { Validator, type Schema } from "@cfworker/json-schema";
import { NextRequest } from "next/server";
import { expect } from "vitest";
import { openApiDocument } from "./openapi";

// As Next calls it: a route without dynamic segments gets no params at all.
type Handler = (request: Request, context: { params: Promise<Record<string, string> | undefined> }) => Promise<Response>;
export const doc = openApiDocument();

/** The document's schema for an answer: by path template, method and status (problems: the Problem schema). */
function responseSchema(template: string, method: string, status: number): Schema {
  const op = (doc.paths[template] as Record<string, { responses: Record<string, { content: Record<string, { schema: Schema }> }> }>)[method];
  expect(op, `${method.toUpperCase()} ${template} is in the OpenAPI document`).toBeDefined();
  const res = op!.responses[String(status)];
  expect(res, `${method.toUpperCase()} ${template} documents ${status}`).toBeDefined();
  const content = res!.content["application/json"] ?? res!.content["application/problem+json"];
  return { ...(content!.schema as object), components: doc.components } as Schema;
}

/** Calls a route handler; checks the answer against the OpenAPI document; returns status, body, headers. */
export async function call(
  route: Record<string, unknown>,
  template: string,
  method: "GET" | "POST" | "PATCH",
  opts: { token?: string; id?: string; query?: Record<string, string>; body?: unknown; rawBody?: string; contentType?: string } = {},
) {
  // The URL is for show (the handler takes the id from params); a lone surrogate cannot be encoded.
  const path = `/api/v1${template.replace("{id}", !/\p{Cs}/u.test(opts.id ?? "") ? encodeURIComponent(opts.id ?? "") : "unencodable")}`;
  const url = new URL(`http://localhost${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
  if (hasBody) headers["content-type"] = opts.contentType ?? "application/json";
  const request = new NextRequest(url, { method, headers, body: hasBody ? (opts.rawBody ?? JSON.stringify(opts.body)) : undefined });
  const res = await (route[method] as Handler)(request, { params: Promise.resolve(opts.id !== undefined ? { id: opts.id } : undefined) });
  const body = (await res.json()) as Record<string, unknown> & { errors?: { field: string; message: string }[] };
  const problemJson = res.headers.get("content-type")?.startsWith("application/problem+json");
  if (res.status >= 400) expect(problemJson, `${method} ${path} ${res.status} is problem+json`).toBe(true);
  const result = new Validator(responseSchema(template, method.toLowerCase(), res.status), "2020-12", false).validate(body);
  expect(result.errors, `${method} ${path} → ${res.status} ${JSON.stringify(body).slice(0, 300)} validates against the OpenAPI document`).toEqual([]);
  return { status: res.status, body, headers: res.headers };
}

