// The analytics filters as URL query parameters (the dashboard's URL and the CSV link share them):
// from, to, org, provider, status, q, sort, dir, page, size.
// Client-safe like filters.ts: the dashboard reads its URL with it, the CSV route its query.
import { z } from "zod";
import { DEFAULT_STREAMS_PAGE_SIZE } from "~/contract";
import {
  DEFAULT_SORT,
  defaultRange,
  streamSortKeys,
  ZAnalyticsFilterFields,
  ZPage,
  ZPageSize,
  ZSortDir,
  ZStreamsInput,
  type AnalyticsFilters,
  type TStreamsInput,
} from "./filters";

type Params = { get(name: string): string | null };

function raw(params: Params) {
  const pick = (name: string) => {
    const v = params.get(name);
    return v === null || v === "" ? undefined : v;
  };
  const num = (name: string) => {
    const v = pick(name);
    return v === undefined ? undefined : Number(v);
  };
  return {
    from: pick("from"),
    to: pick("to"),
    organizerId: pick("org"),
    provider: pick("provider"),
    status: pick("status"),
    q: pick("q"),
    sort: pick("sort"),
    dir: pick("dir"),
    page: num("page"),
    pageSize: num("size"),
  };
}

/**
 * Lenient reading for the dashboard: a malformed parameter falls back to its default (a hand-edited
 * URL still shows a page), and a backwards range falls back to the default range.
 */
export function readStreamsSearchParams(params: Params, now = new Date()): TStreamsInput {
  const r = raw(params);
  const field = <T,>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const p = schema.safeParse(value);
    return p.success ? p.data : undefined;
  };
  const def = defaultRange(now);
  let from = field(ZAnalyticsFilterFields.shape.from, r.from) ?? def.from;
  let to = field(ZAnalyticsFilterFields.shape.to, r.to) ?? def.to;
  const candidate = ZStreamsInput.safeParse({ from, to });
  if (!candidate.success) ({ from, to } = def);
  return {
    from,
    to,
    organizerId: field(ZAnalyticsFilterFields.shape.organizerId, r.organizerId),
    provider: field(ZAnalyticsFilterFields.shape.provider, r.provider),
    status: field(ZAnalyticsFilterFields.shape.status, r.status),
    q: field(ZAnalyticsFilterFields.shape.q, r.q),
    sort: field(z.enum(streamSortKeys), r.sort) ?? DEFAULT_SORT,
    dir: field(ZSortDir, r.dir) ?? "desc",
    page: field(ZPage, r.page) ?? 1,
    pageSize: field(ZPageSize, r.pageSize) ?? DEFAULT_STREAMS_PAGE_SIZE,
  };
}

/** Strict reading for the CSV export: any bad parameter is an error naming it. */
export function parseStreamsSearchParams(
  params: Params,
  now = new Date(),
): { ok: true; value: TStreamsInput } | { ok: false; error: string } {
  const r = raw(params);
  const def = defaultRange(now);
  const parsed = ZStreamsInput.safeParse({ ...r, from: r.from ?? def.from, to: r.to ?? def.to });
  if (parsed.success) return { ok: true, value: parsed.data };
  const names: Record<string, string> = { organizerId: "org", pageSize: "size" };
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? "query");
  return { ok: false, error: `${names[key] ?? key}: ${issue.message}` };
}

/** The query string for a set of filters; defaults are left out so URLs stay short. */
export function toSearchParams(input: Partial<TStreamsInput> & AnalyticsFilters, now = new Date()): URLSearchParams {
  const out = new URLSearchParams();
  const def = defaultRange(now);
  if (input.from !== def.from || input.to !== def.to) {
    out.set("from", input.from);
    out.set("to", input.to);
  }
  if (input.organizerId) out.set("org", input.organizerId);
  if (input.provider) out.set("provider", input.provider);
  if (input.status) out.set("status", input.status);
  if (input.q) out.set("q", input.q);
  if (input.sort && input.sort !== DEFAULT_SORT) out.set("sort", input.sort);
  if (input.dir && input.dir !== "desc") out.set("dir", input.dir);
  if (input.page && input.page !== 1) out.set("page", String(input.page));
  if (input.pageSize && input.pageSize !== DEFAULT_STREAMS_PAGE_SIZE) out.set("size", String(input.pageSize));
  return out;
}
