// The batch of docs/ingest-api.md as a zod schema, and the refusals it names. The limits are the
// contract's (src/contract/batch.ts).
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import {
  CLIENT_ID_PATTERN,
  EVENT_TYPES,
  MAX_EVENTS_PER_BATCH,
  MAX_EXTRA_BYTES,
  MAX_EXTRA_DEPTH,
  MAX_SEQ,
  MAX_STARTUP_MS,
  MAX_STREAM_ID_LENGTH,
} from "~/contract";

/** A UTF-16 surrogate on its own (with the u flag a valid pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Cs}/u;

function textProblem(s: string): string | null {
  // PostgreSQL's jsonb cannot hold U+0000, nor text that is not well-formed Unicode.
  if (s.includes("\u0000")) return "must not contain U+0000";
  if (LONE_SURROGATE.test(s)) return "must be well-formed Unicode, with no lone surrogate";
  return null;
}

/**
 * What the database would refuse in an `extra` (U+0000, a lone surrogate, in any key or string) or
 * what is nested too deeply, with where it is. Iterative, and depth is checked before anything
 * recursive (JSON.stringify) runs: a body nested thousands of levels deep cannot overflow the stack.
 */
function extraProblem(extra: object): string | null {
  const stack: { v: unknown; at: string; depth: number }[] = [{ v: extra, at: "", depth: 1 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { v, at, depth } = item;
    const where = at ? ` (at ${at})` : "";
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (problem) return problem + where;
    } else if (v !== null && typeof v === "object") {
      if (depth > MAX_EXTRA_DEPTH) return `must be nested at most ${MAX_EXTRA_DEPTH} levels deep${where}`;
      for (const [k, x] of Object.entries(v)) {
        const key = at ? `${at}.${k}` : k;
        const problem = textProblem(k);
        if (problem) return `${problem} (in the key ${JSON.stringify(key)})`;
        stack.push({ v: x, at: key, depth: depth + 1 });
      }
    }
  }
  return null;
}

type Extra = Record<string, unknown> | null | undefined;

// z.unknown(), not z.record(): zod copies a record key by key, and a "__proto__" key would become
// the copy's prototype and silently vanish from what is stored. The object is kept as parsed.
const extraSchema = z
  .unknown()
  .superRefine((v, ctx) => {
    if (v === null || v === undefined) return;
    if (typeof v !== "object" || Array.isArray(v)) {
      ctx.addIssue({ code: "custom", message: "must be a JSON object or null" });
      return;
    }
    const problem = extraProblem(v);
    if (problem) return void ctx.addIssue({ code: "custom", message: problem });
    if (Buffer.byteLength(JSON.stringify(v)) > MAX_EXTRA_BYTES) {
      return void ctx.addIssue({ code: "custom", message: `must be at most ${MAX_EXTRA_BYTES} bytes of JSON` });
    }
    const startupMs = (v as { startupMs?: unknown }).startupMs;
    if (startupMs !== undefined && !(typeof startupMs === "number" && startupMs >= 0 && startupMs <= MAX_STARTUP_MS)) {
      ctx.addIssue({ code: "custom", message: "startupMs must be a number of milliseconds ≥ 0", path: ["startupMs"] });
    }
  })
  .transform((v) => v as Extra)
  .optional();

const eventSchema = z.object({
  type: z.enum(EVENT_TYPES),
  ts: z.number().int().nonnegative(),
  videoTime: z.number().nonnegative(),
  seq: z.number().int().nonnegative().max(MAX_SEQ),
  extra: extraSchema,
});

export const batchSchema = z.object({
  streamId: z
    .string()
    .min(1)
    .max(MAX_STREAM_ID_LENGTH)
    .regex(/^[^\u0000-\u001f]*$/, "must not contain control characters")
    .refine((s) => !LONE_SURROGATE.test(s), "must be well-formed Unicode, with no lone surrogate"),
  clientId: z.string().regex(CLIENT_ID_PATTERN, "must be 8 to 64 characters of A-Z a-z 0-9 _ -"),
  sentAt: z.number().int().nonnegative(),
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

export type Batch = z.infer<typeof batchSchema>;
export type BatchEvent = z.infer<typeof eventSchema>;

export interface Issue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; batch: Batch } | { ok: false; error: string; issues: Issue[] };

const MAX_ISSUES = 20;

/** Parses a request body: JSON text in UTF-8 (bytes that are not UTF-8 are refused, never replaced). */
export function parseBody(body: Buffer): ParseResult {
  if (!isUtf8(body)) return { ok: false, error: "body is not JSON", issues: [{ path: "", message: "not valid UTF-8" }] };
  return parseBatch(body.toString("utf8"));
}

/** Parses JSON text into a batch, or names every problem (at most 20). */
export function parseBatch(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      error: "body is not JSON",
      issues: [{ path: "", message: (err as Error).message }],
    };
  }
  const parsed = batchSchema.safeParse(json);
  if (parsed.success) return { ok: true, batch: parsed.data };
  return {
    ok: false,
    error: "invalid batch",
    issues: parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  };
}
