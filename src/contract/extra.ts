// Fields of an event's `extra` that figures read (docs/ingest-api.md, docs/metrics.md).

/** extra.startupMs of a `play`, rounded to whole ms; null when absent or not a number >= 0. */
export function startupMsOf(extra: unknown): number | null {
  if (extra && typeof extra === "object" && "startupMs" in extra) {
    const v = (extra as { startupMs: unknown }).startupMs;
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return Math.round(v);
  }
  return null;
}
