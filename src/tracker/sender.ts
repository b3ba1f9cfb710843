// Batches events and delivers them: a batch leaves when 10 events wait or 15 s after the first one
// waited, and at once by sendBeacon when the page is hidden or left. A send that fails keeps its
// events in a bounded localStorage queue and is retried with exponential backoff (and on the next
// page load); the server drops resent events by (clientId, seq), so resending is always safe.
import { KEYS, type KeyValueStore } from "./storage";
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, MAX_EVENT_AGE_MS, type Batch, type TrackedEvent } from "~/contract";

export interface SenderOptions {
  endpoint: string;
  streamId: string;
  clientId: string;
  store: KeyValueStore;
  now?: () => number;
  fetch?: typeof fetch;
  /** navigator.sendBeacon, bound; undefined where the browser has none. */
  beacon?: (url: string, body: string) => boolean;
  maxPending?: number;
  maxWaitMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Bounds of the offline queue in localStorage. */
  queueMaxEvents?: number;
  queueMaxBytes?: number;
}

interface QueueEntry {
  s: string; // streamId
  c: string; // clientId
  e: TrackedEvent[];
}

type Outcome = "ok" | "drop" | { retryAfterMs?: number };

// The server refuses events older than 24 h; leave an hour of margin for clock drift.
const MAX_QUEUED_AGE_MS = MAX_EVENT_AGE_MS - 3_600_000;
const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s).length;

/** Splits events into bodies the contract accepts: at most 100 events and 64 KB each. */
export function splitBatches(streamId: string, clientId: string, events: TrackedEvent[], sentAt: number): Batch[] {
  const out: Batch[] = [];
  const overhead = bytes(JSON.stringify({ streamId, clientId, sentAt, events: [] }));
  let cur: TrackedEvent[] = [];
  let size = overhead;
  for (const ev of events) {
    const n = bytes(JSON.stringify(ev)) + 1;
    if (overhead + n > MAX_BATCH_BYTES) continue; // cannot fit any batch; never happens with bounded extra
    if (cur.length && (cur.length >= MAX_EVENTS_PER_BATCH || size + n > MAX_BATCH_BYTES)) {
      out.push({ streamId, clientId, sentAt, events: cur });
      cur = [];
      size = overhead;
    }
    cur.push(ev);
    size += n;
  }
  if (cur.length) out.push({ streamId, clientId, sentAt, events: cur });
  return out;
}

export class Sender {
  private pending: TrackedEvent[] = [];
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private draining = false;
  private readonly o: Required<Omit<SenderOptions, "beacon" | "fetch">> & Pick<SenderOptions, "beacon" | "fetch">;

  constructor(opts: SenderOptions) {
    this.o = {
      now: Date.now,
      maxPending: 10,
      maxWaitMs: 15_000,
      retryBaseMs: 2_000,
      retryMaxMs: 5 * 60_000,
      queueMaxEvents: 500,
      queueMaxBytes: 256 * 1024,
      ...opts,
    };
  }

  add(ev: TrackedEvent): void {
    this.pending.push(ev);
    if (this.pending.length >= this.o.maxPending) void this.flush();
    else if (!this.waitTimer) this.waitTimer = setTimeout(() => void this.flush(), this.o.maxWaitMs);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Sends what waits now, by fetch; failures go to the offline queue. */
  async flush(): Promise<void> {
    const events = this.take();
    if (!events.length) return;
    const batches = splitBatches(this.o.streamId, this.o.clientId, events, this.o.now());
    let retry: Outcome | undefined;
    for (const b of batches) {
      const r = await this.post(b, true);
      if (r !== "ok" && r !== "drop") {
        this.enqueue(this.o.streamId, this.o.clientId, b.events);
        retry = r;
      }
    }
    if (retry) this.scheduleRetry(retry);
  }

  /** The page is going away: hand what waits to sendBeacon (fetch keepalive when it refuses). */
  flushBeacon(): void {
    const events = this.take();
    if (!events.length) return;
    for (const b of splitBatches(this.o.streamId, this.o.clientId, events, this.o.now())) {
      const body = JSON.stringify(b);
      let queued = false;
      try {
        queued = this.o.beacon ? this.o.beacon(this.o.endpoint, body) : false;
      } catch {
        queued = false;
      }
      if (queued) continue;
      // Kept in the queue until the keepalive fetch answers: if the page dies first, the next page
      // load resends it and the server drops whatever already arrived.
      this.enqueue(b.streamId, b.clientId, b.events);
      void this.post(b, true).then((r) => {
        if (r === "ok" || r === "drop") this.dequeue(b.clientId, b.events);
      });
    }
  }

  /** Resends the offline queue (all streams and clientIds in it). */
  async drain(): Promise<void> {
    if (this.draining) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const queue = this.readQueue();
    if (!queue.length) return;
    this.draining = true;
    let retry: Outcome | undefined;
    try {
      const cutoff = this.o.now() - MAX_QUEUED_AGE_MS;
      for (const entry of queue) {
        const fresh = entry.e.filter((e) => e.ts >= cutoff);
        for (const b of splitBatches(entry.s, entry.c, fresh, this.o.now())) {
          const r = await this.post(b, false);
          if (r === "ok" || r === "drop") this.dequeue(entry.c, b.events);
          else retry = r;
        }
        const stale = entry.e.filter((e) => e.ts < cutoff);
        if (stale.length) this.dequeue(entry.c, stale);
      }
    } finally {
      this.draining = false;
    }
    if (retry) this.scheduleRetry(retry);
    else this.attempt = 0;
  }

  destroy(): void {
    clearTimeout(this.waitTimer);
    clearTimeout(this.retryTimer);
    this.waitTimer = this.retryTimer = undefined;
  }

  private take(): TrackedEvent[] {
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    const events = this.pending;
    this.pending = [];
    return events;
  }

  private async post(batch: Batch, keepalive: boolean): Promise<Outcome> {
    const f = this.o.fetch ?? (typeof fetch === "function" ? fetch : undefined);
    if (!f) return {};
    try {
      const res = await f(this.o.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
        keepalive,
        credentials: "omit",
      });
      if (res.ok) return "ok";
      if (res.status === 429) {
        const s = Number(res.headers.get("retry-after"));
        return { retryAfterMs: Number.isFinite(s) && s > 0 ? s * 1000 : undefined };
      }
      // 400/404/413/415: the server will refuse this batch however often it is sent.
      if (res.status >= 400 && res.status < 500 && res.status !== 408) return "drop";
      return {};
    } catch {
      return {}; // offline or the network failed
    }
  }

  private scheduleRetry(r: Outcome): void {
    if (this.retryTimer || typeof r !== "object") return;
    const backoff = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** this.attempt);
    this.attempt++;
    // Jitter spreads the retries of many viewers that lost the network together.
    const delay = r.retryAfterMs ?? Math.round(backoff * (0.8 + Math.random() * 0.4));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delay);
  }

  readQueue(): QueueEntry[] {
    try {
      const v: unknown = JSON.parse(this.o.store.getItem(KEYS.queue) ?? "[]");
      return Array.isArray(v) ? (v as QueueEntry[]).filter((q) => q && typeof q.s === "string" && Array.isArray(q.e)) : [];
    } catch {
      return [];
    }
  }

  private writeQueue(q: QueueEntry[]): void {
    const kept = q.filter((e) => e.e.length);
    if (!kept.length) return this.o.store.removeItem(KEYS.queue);
    // Bounded: the oldest events go first when the queue is over its event count or size.
    let total = kept.reduce((n, e) => n + e.e.length, 0);
    let json = JSON.stringify(kept);
    while (kept.length && (total > this.o.queueMaxEvents || bytes(json) > this.o.queueMaxBytes)) {
      const head = kept[0]!;
      const drop = Math.max(1, Math.min(head.e.length, total - this.o.queueMaxEvents, Math.ceil(head.e.length / 2)));
      head.e.splice(0, drop);
      total -= drop;
      if (!head.e.length) kept.shift();
      json = JSON.stringify(kept);
    }
    this.o.store.setItem(KEYS.queue, json);
  }

  private enqueue(s: string, c: string, events: TrackedEvent[]): void {
    const q = this.readQueue();
    const last = q[q.length - 1];
    if (last && last.s === s && last.c === c) last.e.push(...events);
    else q.push({ s, c, e: [...events] });
    this.writeQueue(q);
  }

  private dequeue(clientId: string, events: TrackedEvent[]): void {
    const seqs = new Set(events.map((e) => e.seq));
    const q = this.readQueue();
    for (const entry of q) if (entry.c === clientId) entry.e = entry.e.filter((e) => !seqs.has(e.seq));
    this.writeQueue(q);
  }
}
