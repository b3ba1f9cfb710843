// Event time on the server (docs/metrics.md "Events and time"): receive time − (sentAt − ts). The
// client's clock only places events relative to each other, so a wrong clock cannot move them.
import { FUTURE_TOLERANCE_MS, MAX_EVENT_AGE_MS } from "~/contract";
import type { Batch, Issue } from "./schema";

export function correctedTime(receivedAt: number, sentAt: number, ts: number): number {
  return receivedAt - (sentAt - ts);
}

/** Corrected time of every event, or the issues of those that are too old or in the future. */
export function correctTimes(batch: Batch, receivedAt: number): { ok: true; at: number[] } | { ok: false; issues: Issue[] } {
  const at: number[] = [];
  const issues: Issue[] = [];
  batch.events.forEach((e, i) => {
    const t = correctedTime(receivedAt, batch.sentAt, e.ts);
    if (receivedAt - t > MAX_EVENT_AGE_MS) {
      issues.push({ path: `events.${i}.ts`, message: "event is more than 24 h old" });
    } else if (t - receivedAt > FUTURE_TOLERANCE_MS) {
      issues.push({ path: `events.${i}.ts`, message: "event is in the future (ts after sentAt)" });
    }
    at.push(t);
  });
  return issues.length ? { ok: false, issues: issues.slice(0, 20) } : { ok: true, at };
}
