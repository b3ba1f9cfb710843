// The demo's simulated audience: a dozen or so viewers come and go on the live stream, each
// sending what the browser tracker sends (play with its startup time, a heartbeat every 15 s,
// the odd stall, pause or leaving without a word) through the real ingestion door over HTTP, so
// the live page and its charts move while a newcomer looks. `npm run demo` only (off with
// --no-audience); `npm start` never runs it.
import { HEARTBEAT_SECONDS, type Batch, type TrackedEvent } from "~/contract";

/** Browsers of the simulated viewers (desktop, phone, tablet, TV): the device breakdown shows a mix. */
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (SMART-TV; Linux; Tizen 8.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/7.0 Chrome/120.0.0.0 TV Safari/537.36",
];

interface Viewer {
  clientId: string;
  userAgent: string;
  seq: number;
  joinedAt: number;
  leavesAt: number;
  nextHeartbeat: number;
  /** Until when a stall lasts (0: not stalled). */
  stalledUntil: number;
  pending: TrackedEvent[];
}

export interface OutgoingBatch {
  userAgent: string;
  batch: Batch;
}

export interface AudienceOptions {
  streamId: string;
  /** Viewers watching on average; the count drifts around it (default 14). */
  size?: number;
  random?: () => number;
}

/**
 * The audience as a function of time: tick(now) moves it on to `now` and returns the batches
 * its viewers send then. No clock or network of its own (startAudience adds them), so a test
 * can play hours of it in a moment.
 */
export function createAudience(opts: AudienceOptions) {
  const rnd = opts.random ?? Math.random;
  const size = opts.size ?? 14;
  const viewers = new Map<string, Viewer>();
  let startedAt: number | undefined;
  const heartbeatMs = HEARTBEAT_SECONDS * 1000;

  const id = () => {
    let s = "demo";
    for (let i = 0; i < 20; i++) s += Math.floor(rnd() * 36).toString(36);
    return s;
  };
  const push = (v: Viewer, now: number, type: TrackedEvent["type"], extra?: Record<string, unknown>) => {
    v.seq++;
    // A live stream: the playhead is how long this viewer has watched.
    const ev: TrackedEvent = { type, ts: now, videoTime: Math.round((now - v.joinedAt) / 10) / 100, seq: v.seq };
    if (extra) ev.extra = extra;
    v.pending.push(ev);
  };

  function tick(now: number): OutgoingBatch[] {
    startedAt ??= now;
    const out: OutgoingBatch[] = [];
    const flush = (v: Viewer) => {
      if (!v.pending.length) return;
      out.push({ userAgent: v.userAgent, batch: { streamId: opts.streamId, clientId: v.clientId, sentAt: now, events: v.pending } });
      v.pending = [];
    };
    // The audience swells and ebbs over ten minutes, so the concurrency chart has a shape.
    const target = size * (1 + 0.35 * Math.sin(((now - startedAt) / 600_000) * 2 * Math.PI));
    if (viewers.size < target && rnd() < 0.5) {
      const v: Viewer = {
        clientId: id(),
        userAgent: USER_AGENTS[Math.floor(rnd() * USER_AGENTS.length)]!,
        seq: 0,
        joinedAt: now,
        // Watches 30 s to about 10 minutes.
        leavesAt: now + 30_000 + Math.floor(-Math.log(1 - rnd()) * 180_000),
        nextHeartbeat: now + heartbeatMs,
        stalledUntil: 0,
        pending: [],
      };
      viewers.set(v.clientId, v);
      push(v, now, "play", { startupMs: 250 + Math.floor(rnd() * 1800) });
      // The first frame is news to the live page: sent at once, like a viewer's first batch.
      flush(v);
    }
    for (const v of viewers.values()) {
      if (now >= v.leavesAt) {
        if (v.stalledUntil) push(v, now, "buffer_end");
        // Some pause before leaving; the others just close the tab (their session ends by silence).
        if (rnd() < 0.5) push(v, now, "pause");
        flush(v);
        viewers.delete(v.clientId);
        continue;
      }
      if (v.stalledUntil && now >= v.stalledUntil) {
        v.stalledUntil = 0;
        push(v, now, "buffer_end");
      } else if (!v.stalledUntil && rnd() < 0.004) {
        v.stalledUntil = now + 1000 + Math.floor(rnd() * 4000);
        push(v, now, "buffer_start", { cause: "stall" });
      }
      if (now >= v.nextHeartbeat) {
        v.nextHeartbeat += heartbeatMs;
        push(v, now, "heartbeat");
        // The tracker's batch leaves at most 15 s after its first event: each heartbeat, here.
        flush(v);
      }
    }
    return out;
  }

  return { tick, watching: () => viewers.size };
}

/** Runs the audience against `baseUrl` once a second until stop(); failures are counted, not thrown. */
export function startAudience(opts: AudienceOptions & { baseUrl: string; onError?: (message: string) => void }) {
  const audience = createAudience(opts);
  const endpoint = `${opts.baseUrl.replace(/\/+$/, "")}/api/analytics/events`;
  let sent = 0;
  let failed = 0;
  let lastError = "";
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    for (const { userAgent, batch } of audience.tick(Date.now())) {
      const p = fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", "user-agent": userAgent }, body: JSON.stringify(batch) })
        .then(async (res) => {
          if (res.ok) sent++;
          else throw new Error(`${res.status} ${await res.text().catch(() => "")}`.trim());
        })
        .catch((err: Error) => {
          failed++;
          // Said once per new kind of failure, not once a second.
          if (err.message !== lastError) opts.onError?.(err.message);
          lastError = err.message;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }, 1000);
  timer.unref();
  return {
    watching: audience.watching,
    stats: () => ({ sent, failed }),
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
