// Test support for the delivery property test (delivery.test.ts) and `npm run bench:delivery`:
// random audiences (viewers of several streams, sessions 30 min or more apart, pauses up to
// 29:59.999, buffering, errors, countries, devices), the ways of delivering them (in order,
// neighbours swapped, random order, duplicates with client clock skew, re-batched), sending through
// the real ingestion core, a normalized snapshot of every stored figure, and a reference computed
// from docs/metrics.md alone (not from the product's walk).
import { handleIngest, ingestDeps, type IngestRequest } from "~/ingest/handler";
import { getPool } from "~/lib/db/pool";
import { seededRandom } from "~/lib/random";

export const UA = {
  desktop: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  mobile: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  tablet: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  tv: "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
} as const;
export type Device = keyof typeof UA;
const DEVICES: Device[] = ["desktop", "desktop", "mobile", "mobile", "tablet", "tv"];
const COUNTRIES = ["DE", "DE", "FR", "US", "CH", "ZZ", "BR"];

const MIN = 60_000;
const GAP = 30 * MIN;

/** The seeded PRNG of generated data: the same seed, the same audience. */
export const prng = seededRandom;

export interface AudienceEvent {
  type: string;
  /** True time, ms. */
  at: number;
  seq: number;
  extra?: Record<string, unknown>;
}

/** One viewing of one viewer on one stream: its events are one session by construction. */
export interface Viewing {
  viewer: number;
  stream: number;
  country: string;
  device: Device;
  events: AudienceEvent[];
}

export interface Audience {
  viewers: number;
  streams: number;
  viewings: Viewing[];
}

/**
 * A random audience: `viewers` viewers over `streams` streams, each watching one or two streams,
 * one to three times each, the viewings 30 min (sometimes exactly) to 90 min apart; all events
 * between `base` and base + ~8 h. Seq grows per viewer across its streams, as the tracker's does.
 */
export function randomAudience(r: () => number, opts: { viewers: number; streams: number; base: number; maxEvents?: number }): Audience {
  const maxEvents = opts.maxEvents ?? 40;
  const viewings: Viewing[] = [];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  for (let v = 0; v < opts.viewers; v++) {
    let seq = 1;
    const streams = new Set([Math.floor(r() * opts.streams)]);
    if (opts.streams > 1 && r() < 0.25) streams.add(Math.floor(r() * opts.streams));
    for (const stream of streams) {
      let t = opts.base + Math.floor(r() * 3 * 60 * MIN) + Math.floor(r() * 1000);
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const events: AudienceEvent[] = [];
        const push = (type: string, extra?: Record<string, unknown>) => events.push({ type, at: t, seq: seq++, ...(extra ? { extra } : {}) });
        push("play", r() < 0.8 ? { startupMs: Math.round(200 + r() * 3000) } : undefined);
        const len = 1 + Math.floor(r() * maxEvents);
        for (let i = 1; i < len; i++) {
          const x = r();
          if (x < 0.06) {
            // A pause, sometimes just under the 30-min session gap: still one session.
            push("pause");
            t += pick([45_000, 5 * MIN, GAP - 1, 20 * MIN + Math.floor(r() * 9 * MIN)]);
            push("play");
          } else if (x < 0.14) {
            t += Math.floor(r() * 10_000);
            push("buffer_start");
            t += 500 + Math.floor(r() * 12_000);
            push("buffer_end");
          } else if (x < 0.17) {
            t += Math.floor(r() * 15_000);
            push("error", { code: "MEDIA_ERR", fatal: r() < 0.5 });
          } else if (x < 0.2) {
            // A tab frozen past the 30 s cap.
            t += 30_000 + Math.floor(r() * 120_000);
            push("heartbeat");
          } else {
            t += 15_000 + Math.floor(r() * 40) - 20;
            push("heartbeat");
          }
        }
        if (r() < 0.3) {
          t += Math.floor(r() * 15_000);
          push("ended");
        }
        viewings.push({ viewer: v, stream, country: pick(COUNTRIES), device: pick(DEVICES), events });
        // The next viewing: 30 min (exactly, sometimes) to 90 min after this one's last event.
        t += r() < 0.2 ? GAP : GAP + 1 + Math.floor(r() * 60 * MIN);
      }
    }
  }
  return { viewers: opts.viewers, streams: opts.streams, viewings };
}

/** A batch as the tracker sends it: one viewer, one stream, consecutive events. */
export interface AudienceBatch {
  viewer: number;
  stream: number;
  country: string;
  device: Device;
  events: AudienceEvent[];
  /** True send time, ms (after its last event). */
  sentAt: number;
}

/** Each viewing cut into batches of `size()` consecutive events, sent 0–2 s after their last event. */
export function batchesOf(a: Audience, r: () => number, size: () => number): AudienceBatch[] {
  const out: AudienceBatch[] = [];
  for (const w of a.viewings) {
    for (let i = 0; i < w.events.length; ) {
      const n = Math.max(1, size());
      const events = w.events.slice(i, i + n);
      i += n;
      out.push({ viewer: w.viewer, stream: w.stream, country: w.country, device: w.device, events, sentAt: events[events.length - 1]!.at + Math.floor(r() * 2000) });
    }
  }
  return out;
}

export interface Delivery {
  name: string;
  batches: AudienceBatch[];
  /** Per-viewer client clock offset, ms. */
  skew: (viewer: number) => number;
  /** Send one at a time (in order), or several at once. */
  sequential: boolean;
  /** Batches sent at once when not sequential (they share group commits). */
  wave?: number;
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** The five deliveries of the property test, (a) to (e), of one audience. */
export function deliveries(a: Audience, r: () => number): Delivery[] {
  const tracker = batchesOf(a, r, () => 1 + Math.floor(r() * 6));
  const inOrder = [...tracker].sort((x, y) => x.sentAt - y.sentAt);
  const swapped = [...inOrder];
  for (let i = 0; i + 1 < swapped.length; i++) {
    if (r() < 0.3) {
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      i++;
    }
  }
  const dup = shuffle([...inOrder, ...inOrder.filter(() => r() < 0.25)], r);
  const skews = Array.from({ length: a.viewers }, () => Math.round((r() * 2 - 1) * 3 * 3600_000));
  const rebatched = shuffle(batchesOf(a, r, () => 1 + Math.floor(r() * 15)), r);
  return [
    { name: "a: in order", batches: inOrder, skew: () => 0, sequential: true },
    { name: "b: neighbours swapped", batches: swapped, skew: () => 0, sequential: false },
    { name: "c: random order", batches: shuffle([...inOrder], r), skew: () => 0, sequential: false, wave: 32 },
    { name: "d: duplicates, clock skew", batches: dup, skew: (v) => skews[v]!, sequential: false },
    { name: "e: re-batched", batches: rebatched, skew: () => 0, sequential: false },
  ];
}

function request(body: string, b: AudienceBatch, address: string): IngestRequest {
  const headers: Record<string, string> = {
    "content-type": "text/plain;charset=UTF-8",
    "user-agent": UA[b.device],
    "cf-ipcountry": b.country,
  };
  return { method: "POST", header: (n) => headers[n.toLowerCase()] ?? null, socketAddress: address, readBody: async () => Buffer.from(body) };
}

/**
 * Sends a delivery through the ingestion core (validation, time correction, sessions at the door,
 * group commit, dedup). The batch is received at its send time and the client's clock is off by
 * its skew, so every event's corrected time is its true time (docs/metrics.md "Corrected time").
 * Needs TRUSTED_GEO_HEADER=cf-ipcountry. `from`/`to` send a slice of the batches.
 */
export async function deliver(
  d: Delivery,
  ids: { streams: string[]; clients: string[] },
  slice: { from?: number; to?: number; wave?: number } = {},
): Promise<void> {
  const deps = ingestDeps();
  const batches = d.batches.slice(slice.from ?? 0, slice.to ?? d.batches.length);
  const send = async (b: AudienceBatch, i: number) => {
    const skew = d.skew(b.viewer);
    const body = JSON.stringify({
      streamId: ids.streams[b.stream],
      clientId: ids.clients[b.viewer],
      sentAt: b.sentAt + skew,
      events: b.events.map((e) => ({ type: e.type, ts: e.at + skew, videoTime: 0, seq: e.seq, ...(e.extra ? { extra: e.extra } : {}) })),
    });
    // Every viewer its own address: the rate limit never counts two viewers together.
    const address = `10.${(b.viewer >> 8) & 255}.${b.viewer & 255}.${1 + (i % 200)}`;
    const res = await handleIngest(request(body, b, address), { ...deps, now: () => b.sentAt });
    if (res.status !== 202) throw new Error(`${d.name}: batch ${i} answered ${res.status}: ${res.body}`);
  };
  if (d.sequential) {
    for (let i = 0; i < batches.length; i++) await send(batches[i]!, i);
  } else {
    const wave = slice.wave ?? d.wave ?? 8;
    for (let i = 0; i < batches.length; i += wave) await Promise.all(batches.slice(i, i + wave).map((b, j) => send(b, i + j)));
  }
}

const round = (x: unknown) => (typeof x === "number" ? Math.round(x * 1e6) / 1e6 : x);

/**
 * Every stored figure of the given streams, with stream and client ids replaced by their indexes
 * (so two deliveries into different streams compare equal): sessions, stream_stats (countries and
 * devices included), daily rows, per-minute concurrency.
 */
export async function snapshot(ids: { streams: string[]; clients: string[] }) {
  const pool = getPool();
  const si = (s: string) => ids.streams.indexOf(s);
  const ci = (c: string) => ids.clients.indexOf(c);
  type Row = Record<string, unknown>;
  const clean = (r: Row, drop: string[]): Row =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)).map(([k, v]) => [k, v instanceof Date ? v.getTime() : round(v)]));
  const sessions = (
    await pool.query("SELECT * FROM viewer_sessions WHERE stream_id = ANY($1) ORDER BY started_at, client_id", [ids.streams])
  ).rows.map((s): Row & { stream: number; viewer: number } => ({ stream: si(s.stream_id), viewer: ci(s.client_id), ...clean(s, ["id", "stream_id", "client_id", "created_at", "updated_at", "finalized_at"]) }));
  sessions.sort((x, y) => x.stream - y.stream || x.viewer - y.viewer || Number(x.started_at) - Number(y.started_at));
  const stats = (await pool.query("SELECT * FROM stream_stats WHERE stream_id = ANY($1)", [ids.streams])).rows
    .map((s): Row & { stream: number } => ({ stream: si(s.stream_id), ...clean(s, ["stream_id", "last_calculated_at"]) }))
    .sort((x, y) => x.stream - y.stream);
  const daily = (await pool.query("SELECT * FROM stream_daily_stats WHERE stream_id = ANY($1)", [ids.streams])).rows
    .map((d): Row & { stream: number } => ({ stream: si(d.stream_id), ...clean(d, ["stream_id", "updated_at"]) }))
    .sort((x, y) => x.stream - y.stream || Number(x.day) - Number(y.day));
  const minutes = (await pool.query("SELECT stream_id, minute, viewers FROM stream_concurrency WHERE stream_id = ANY($1)", [ids.streams])).rows
    .map((m) => ({ stream: si(m.stream_id), minute: (m.minute as Date).getTime(), viewers: m.viewers as number }))
    .sort((x, y) => x.stream - y.stream || x.minute - y.minute);
  return { sessions, stats, daily, minutes };
}
export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

// ---------------------------------------------------------------- the reference (docs/metrics.md)

export interface RefSession {
  stream: number;
  viewer: number;
  start: number;
  end: number;
  events: number;
  watch: number;
  buffer: number;
  error: boolean;
  startup: number | null;
  country: string;
  device: Device;
}

type State = "idle" | "playing" | "buffering" | "paused";

/** The walk's table (metrics.md "The state walk"): the state after an event. */
function after(state: State, type: string): State {
  if (type === "play" || type === "buffer_end") return "playing";
  if (type === "buffer_start") return "buffering";
  if (type === "pause") return "paused";
  if (type === "ended") return "idle";
  if (type === "heartbeat") return state === "buffering" ? "buffering" : "playing";
  return state; // error
}

/**
 * Sessions by metrics.md: each (stream, viewer)'s events by (time, seq), cut at gaps of 30 min or
 * more; each walked (gaps capped at 30 s count for playing or buffering, buffering alone for buffer);
 * startup from the first play; country and device of the batch holding the earliest event (here,
 * its viewing: every batch of a viewing shares them).
 */
export function referenceSessions(a: Audience): RefSession[] {
  const byViewer = new Map<string, { e: AudienceEvent; w: Viewing }[]>();
  for (const w of a.viewings) {
    const k = `${w.stream}/${w.viewer}`;
    byViewer.set(k, [...(byViewer.get(k) ?? []), ...w.events.map((e) => ({ e, w }))]);
  }
  const out: RefSession[] = [];
  for (const evs of byViewer.values()) {
    evs.sort((x, y) => x.e.at - y.e.at || x.e.seq - y.e.seq);
    let run: typeof evs = [];
    const close = () => {
      if (!run.length) return;
      let state: State = "idle";
      let watch = 0;
      let buffer = 0;
      run.forEach(({ e }, i) => {
        state = after(state, e.type);
        const next = run[i + 1];
        if (!next) return;
        const gap = Math.min(next.e.at - e.at, 30_000) / 1000;
        if (state === "playing" || state === "buffering") watch += gap;
        if (state === "buffering") buffer += gap;
      });
      const firstPlay = run.find(({ e }) => e.type === "play");
      const startup = firstPlay?.e.extra?.startupMs;
      out.push({
        stream: run[0]!.w.stream,
        viewer: run[0]!.w.viewer,
        start: run[0]!.e.at,
        end: run[run.length - 1]!.e.at,
        events: run.length,
        watch,
        buffer,
        error: run.some(({ e }) => e.type === "error"),
        startup: typeof startup === "number" ? Math.round(startup) : null,
        country: run[0]!.w.country,
        device: run[0]!.w.device,
      });
      run = [];
    };
    for (const x of evs) {
      if (run.length && x.e.at - run[run.length - 1]!.e.at >= GAP) close();
      run.push(x);
    }
    close();
  }
  return out.sort((x, y) => x.stream - y.stream || x.viewer - y.viewer || x.start - y.start);
}

/** Per-minute concurrency by metrics.md's sweep: minute (ms) → peak level within it. */
export function referenceMinutes(sessions: readonly { start: number; end: number }[]): Map<number, number> {
  const pts = sessions.flatMap((s) => [
    { t: s.start, ord: 1, d: 1 },
    { t: s.end, ord: s.end > s.start ? 0 : 2, d: -1 },
  ]);
  pts.sort((x, y) => x.t - y.t || x.ord - y.ord);
  const minutes = new Map<number, number>();
  let level = 0;
  pts.forEach((p, i) => {
    level += p.d;
    const next = pts[i + 1]?.t;
    if (level <= 0 || next === undefined) return;
    const first = Math.floor(p.t / MIN) * MIN;
    const last = Math.max(first, Math.floor((next - 1) / MIN) * MIN);
    for (let m = first; m <= last; m += MIN) minutes.set(m, Math.max(minutes.get(m) ?? 0, level));
  });
  return minutes;
}
