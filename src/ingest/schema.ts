// The batch of docs/ingest-api.md as a zod schema, and the refusals it names. The limits are the
// contract's (src/contract/batch.ts).
import { z } from "zod";
import {
  CLIENT_ID_PATTERN,
  EVENT_TYPES,
  MAX_EVENTS_PER_BATCH,
  MAX_EXTRA_BYTES,
  MAX_SEQ,
  MAX_STARTUP_MS,
  MAX_STREAM_ID_LENGTH,
} from "~/contract";

function hasNul(v: unknown): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => k.includes("\u0000") || hasNul(x));
  return false;
}

const extraSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .refine((v) => v == null || Buffer.byteLength(JSON.stringify(v)) <= MAX_EXTRA_BYTES, {
    message: `must be at most ${MAX_EXTRA_BYTES} bytes of JSON`,
  })
  // PostgreSQL's jsonb cannot hold U+0000.
  .refine((v) => v == null || !hasNul(v), { message: "must not contain U+0000" })
  .refine((v) => v?.startupMs === undefined || (typeof v.startupMs === "number" && v.startupMs >= 0 && v.startupMs <= MAX_STARTUP_MS), {
    message: "startupMs must be a number of milliseconds ≥ 0",
    path: ["startupMs"],
  });

const eventSchema = z.object({
  type: z.enum(EVENT_TYPES),
  ts: z.number().int().nonnegative(),
  videoTime: z.number().nonnegative(),
  seq: z.number().int().nonnegative().max(MAX_SEQ),
  extra: extraSchema,
});

export const batchSchema = z.object({
  streamId: z.string().min(1).max(MAX_STREAM_ID_LENGTH).regex(/^[^\u0000-\u001f]*$/, "must not contain control characters"),
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

/** Parses a request body (UTF-8 JSON text) into a batch, or names every problem (at most 20). */
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
