// GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1, generated from the zod schemas
// the handlers parse with (zod 4's JSON Schema output, draft 2020-12, which OpenAPI 3.1 uses).
// ENDPOINTS lists every operation once; src/server/rest/openapi.test.ts checks that every route
// file's methods are here and that real answers validate against the document.
import { z } from "zod";
import { ZListInput, ZOrganizerCreate, ZStreamCreateFields, ZStreamListInput } from "~/catalog/schema";
import type { ApiTokenScope } from "~/contract";
import { PROBLEM_TYPES } from "./problem";
import { ZBreakdownOut, ZBreakdownQuery, ZLiveOut, ZOrganizerOut, ZProblem, ZRangeQuery, ZSeriesOut, ZSeriesQuery, ZStatsOut, ZStreamOut, pageOf } from "./schemas";
import { ZStreamPatch } from "./v1";

export interface Endpoint {
  method: "get" | "post" | "patch";
  /** OpenAPI path ({id} for a parameter). */
  path: string;
  operationId: string;
  summary: string;
  scope: ApiTokenScope;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status: 200 | 201;
}

export const ENDPOINTS: Endpoint[] = [
  { method: "get", path: "/organizers", operationId: "listOrganizers", summary: "Organizers, newest first (an organizer-bound token: its own)", scope: "read", query: ZListInput, response: pageOf(ZOrganizerOut), status: 200 },
  { method: "post", path: "/organizers", operationId: "createOrganizer", summary: "Create an organizer (slug made from the name when not given)", scope: "write", body: ZOrganizerCreate, response: ZOrganizerOut, status: 201 },
  { method: "get", path: "/streams", operationId: "listStreams", summary: "Streams, newest first", scope: "read", query: ZStreamListInput, response: pageOf(ZStreamOut), status: 200 },
  {
    method: "post",
    path: "/streams",
    operationId: "createStream",
    summary: "Create a stream (status scheduled). Bunny: bunnyUrl (embed/play/HLS URL) or the ids; YouTube: youtube (any URL or the id)",
    scope: "write",
    body: ZStreamCreateFields,
    response: ZStreamOut,
    status: 201,
  },
  { method: "get", path: "/streams/{id}", operationId: "getStream", summary: "One stream (archived ones too)", scope: "read", response: ZStreamOut, status: 200 },
  {
    method: "patch",
    path: "/streams/{id}",
    operationId: "updateStream",
    summary: "Change a stream: any field; status moves scheduled → live → ended stamp startedAt and endedAt; provider fields replace the provider",
    scope: "write",
    body: ZStreamPatch,
    response: ZStreamOut,
    status: 200,
  },
  { method: "get", path: "/streams/{id}/stats", operationId: "getStreamStats", summary: "The stream's figures (docs/metrics.md) over a range of UTC days", scope: "read", query: ZRangeQuery, response: ZStatsOut, status: 200 },
  { method: "get", path: "/streams/{id}/series", operationId: "getStreamSeries", summary: "Per day (viewers, sessions, watch time) or per minute (concurrent viewers)", scope: "read", query: ZSeriesQuery, response: ZSeriesOut, status: 200 },
  { method: "get", path: "/streams/{id}/breakdown", operationId: "getStreamBreakdown", summary: "Sessions by country or device (all time, as last aggregated)", scope: "read", query: ZBreakdownQuery, response: ZBreakdownOut, status: 200 },
  { method: "get", path: "/live", operationId: "getLive", summary: "Streams live now and their current viewers", scope: "read", response: ZLiveOut, status: 200 },
];

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

const schemaOf = (s: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

/** A query schema as OpenAPI parameters (one per property). */
function queryParameters(s: z.ZodType) {
  const json = schemaOf(s, "input");
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
    schema,
  }));
}

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: problemRef } } });

export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const parameters = [
      ...(e.path.includes("{id}") ? [{ name: "id", in: "path", required: true, schema: { type: "string" } }] : []),
      ...(e.query ? queryParameters(e.query) : []),
    ];
    (paths[e.path] ??= {})[e.method] = {
      operationId: e.operationId,
      summary: e.summary,
      security: [{ bearer: [] }],
      "x-scope": e.scope,
      ...(parameters.length ? { parameters } : {}),
      ...(e.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(e.body, "input") } } } } : {}),
      responses: {
        [String(e.status)]: { description: e.status === 201 ? "Created" : "OK", content: { "application/json": { schema: schemaOf(e.response, "output") } } },
        "400": problemResponse("Invalid input: `errors` names each field"),
        "401": problemResponse("No token, or an unknown or revoked one"),
        "403": problemResponse(e.scope === "write" ? "The token may only read (or is bound to one organizer)" : "Forbidden"),
        ...(e.path.includes("{id}") || e.method !== "get" ? { "404": problemResponse("No such stream or organizer, or another organizer's (`errors` names the field)") } : {}),
        ...(e.method !== "get" ? { "409": problemResponse("Conflicts with the current state (e.g. slug taken, organizer archived)"), "415": problemResponse("The body is not JSON") } : {}),
        "429": {
          ...problemResponse("Over the per-token rate limit"),
          headers: { "Retry-After": { description: "Seconds until the limit resets", schema: { type: "integer" } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Streamscope REST API",
      version: "1.0.0",
      description:
        "Read the figures of docs/metrics.md and manage organizers and streams. `Authorization: Bearer <token>` (Admin → API tokens, or npm run token:create). Lists page with `cursor`/`nextCursor`. Errors are RFC 9457 problem details naming the field. See docs/rest-api.md.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (sst_…)" } },
      schemas: {
        Problem: { ...schemaOf(ZProblem, "output"), description: `RFC 9457 problem details; type is one of ${Object.keys(PROBLEM_TYPES).map((t) => `urn:streamscope:problem:${t}`).join(", ")}` },
      },
    },
  };
}
