// Errors of the REST API as RFC 9457 problem details (application/problem+json): `type` names the
// kind of problem, `errors` names each field at fault ({ field, message }).
export const PROBLEM_TYPES = {
  validation: { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

export const problemTypeUri = (type: ProblemType) => `urn:streamscope:problem:${type}`;

export function problem(type: ProblemType, detail: string, opts: { errors?: FieldProblem[]; headers?: Record<string, string> } = {}): Response {
  const { status, title } = PROBLEM_TYPES[type];
  const body: Problem = { type: problemTypeUri(type), title, status, detail, ...(opts.errors?.length ? { errors: opts.errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...opts.headers },
  });
}

/** A zod error's issues as fields: nested paths joined with dots ("" → the body itself). */
export function fieldProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ""): FieldProblem[] {
  return issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join(".") || "body", message: i.message }));
}
