// One event vocabulary for every provider. Players report what the media does (play requested,
// first frame, paused, waiting, ...); this state machine turns it into the events of
// docs/metrics.md and sends a heartbeat every 15 s while playing or buffering.
import { Sender, type SenderOptions } from "./sender";
import { getClientId, nextSeq, safeStore, type KeyValueStore } from "./storage";
import { HEARTBEAT_SECONDS, type EventType } from "~/contract";

export type PlaybackState = "idle" | "playing" | "buffering" | "paused";

export interface PlaybackTrackerOptions {
  streamId: string;
  /** Base URL of the API (NEXT_PUBLIC_API_URL); same origin when empty. */
  apiUrl?: string;
  store?: KeyValueStore;
  heartbeatMs?: number;
  now?: () => number;
  /** Monotonic clock for startup time. */
  perfNow?: () => number;
  /** Where pagehide / visibilitychange / online are listened to; defaults to window and document. */
  win?: EventTarget | null;
  doc?: (EventTarget & { visibilityState?: string }) | null;
  sender?: Partial<Omit<SenderOptions, "endpoint" | "streamId" | "clientId" | "store">>;
}

export interface PlaybackTracker {
  readonly clientId: string;
  readonly state: PlaybackState;
  /** Where the playhead is, for heartbeats; providers install theirs. */
  setVideoTime(fn: () => number): void;
  /** Extra fields added to play and heartbeat events (bitrate, connection type). */
  setContext(fn: () => Record<string, unknown> | undefined): void;
  /** The viewer pressed play, or autoplay started: startup time counts from here. */
  playRequested(): void;
  /** Frames are showing (first frame, resume, or end of a stall). */
  playing(): void;
  paused(): void;
  bufferStart(cause?: string): void;
  bufferEnd(): void;
  ended(): void;
  error(code: string | number, message: string, fatal: boolean): void;
  flush(): Promise<void>;
  destroy(): void;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export function apiEndpoint(apiUrl?: string): string {
  return `${(apiUrl ?? "").replace(/\/+$/, "")}/api/analytics/events`;
}

export function createPlaybackTracker(opts: PlaybackTrackerOptions): PlaybackTracker {
  const store = safeStore(opts.store);
  const now = opts.now ?? (() => Date.now());
  const perfNow = opts.perfNow ?? (() => (typeof performance !== "undefined" ? performance.now() : Date.now()));
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_SECONDS * 1000;
  const clientId = getClientId(store);
  const nav = typeof navigator !== "undefined" ? navigator : undefined;
  const sender = new Sender({
    endpoint: apiEndpoint(opts.apiUrl),
    streamId: opts.streamId,
    clientId,
    store,
    now,
    beacon: nav?.sendBeacon ? (url, body) => nav.sendBeacon(url, body) : undefined,
    ...opts.sender,
  });

  let state: PlaybackState = "idle";
  let videoTime: () => number = () => 0;
  let context: () => Record<string, unknown> | undefined = () => undefined;
  let requestedAt: number | undefined;
  let startupSent = false;
  let hb: ReturnType<typeof setInterval> | undefined;
  let destroyed = false;

  const vt = () => {
    try {
      const t = videoTime();
      return Number.isFinite(t) && t > 0 ? Math.round(t * 1000) / 1000 : 0;
    } catch {
      return 0;
    }
  };
  const ctx = () => {
    try {
      return context() ?? {};
    } catch {
      return {};
    }
  };
  const emit = (type: EventType, extra?: Record<string, unknown>) => {
    if (destroyed) return;
    const ev = { type, ts: now(), videoTime: vt(), seq: nextSeq(store), ...(extra && Object.keys(extra).length ? { extra } : {}) };
    sender.add(ev);
  };
  const startHeartbeat = () => {
    if (hb === undefined) hb = setInterval(() => emit("heartbeat", ctx()), heartbeatMs);
  };
  const stopHeartbeat = () => {
    clearInterval(hb);
    hb = undefined;
  };

  const win = opts.win !== undefined ? opts.win : typeof window !== "undefined" ? window : null;
  const doc = opts.doc !== undefined ? opts.doc : typeof document !== "undefined" ? document : null;
  const onHide = () => sender.flushBeacon();
  const onVisibility = () => {
    if (doc?.visibilityState === "hidden") sender.flushBeacon();
  };
  const onOnline = () => void sender.drain();
  win?.addEventListener("pagehide", onHide);
  win?.addEventListener("online", onOnline);
  doc?.addEventListener("visibilitychange", onVisibility);
  // Whatever an earlier page could not deliver goes out now.
  void sender.drain();

  return {
    clientId,
    get state() {
      return state;
    },
    setVideoTime(fn) {
      videoTime = fn;
    },
    setContext(fn) {
      context = fn;
    },
    playRequested() {
      if (requestedAt === undefined && !startupSent) requestedAt = perfNow();
    },
    playing() {
      if (state === "buffering") {
        emit("buffer_end");
      } else if (state !== "playing") {
        const extra = ctx();
        if (!startupSent && requestedAt !== undefined) extra.startupMs = Math.max(0, Math.round(perfNow() - requestedAt));
        startupSent = true;
        requestedAt = undefined;
        emit("play", extra);
      }
      state = "playing";
      startHeartbeat();
    },
    paused() {
      if (state === "playing" || state === "buffering") emit("pause");
      if (state !== "idle") state = "paused";
      stopHeartbeat();
    },
    bufferStart(cause) {
      // Waiting before the first frame is startup time, not rebuffering.
      if (state !== "playing") return;
      emit("buffer_start", cause ? { cause } : undefined);
      state = "buffering";
    },
    bufferEnd() {
      if (state !== "buffering") return;
      emit("buffer_end");
      state = "playing";
    },
    ended() {
      if (state !== "idle") emit("ended");
      state = "idle";
      stopHeartbeat();
    },
    error(code, message, fatal) {
      emit("error", { code: clip(String(code), 100), message: clip(message, 500), fatal });
      if (fatal) {
        state = "idle";
        stopHeartbeat();
        requestedAt = undefined;
      }
    },
    flush: () => sender.flush(),
    destroy() {
      if (destroyed) return;
      stopHeartbeat();
      sender.flushBeacon();
      sender.destroy();
      destroyed = true;
      win?.removeEventListener("pagehide", onHide);
      win?.removeEventListener("online", onOnline);
      doc?.removeEventListener("visibilitychange", onVisibility);
    },
  };
}
