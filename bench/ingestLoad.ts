// Simulated viewers for `npm run bench:ingest`: each a clientId on one stream, from its own address
// and browser, sending a batch of 1–4 events per 15 s of play as the player does (a `play` with
// startupMs first, then heartbeats, now and then a pause/resume or a buffering spell).
import type { PreparedBatch } from "~/ingest/writer";
import { seededRandom } from "~/lib/random";

const UAS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/** Seeded, so every run simulates the same audience. */
export const rng = seededRandom;

export interface Viewer {
  clientId: string;
  streamId: string;
  ip: string;
  ua: string;
  seq: number;
  playing: boolean;
}

export interface SimBatch {
  viewer: Viewer;
  body: string;
  events: number;
}

export class Audience {
  private readonly viewers: Viewer[];
  private cursor = 0;
  private readonly rand: () => number;
  sentBatches = 0;
  sentEvents = 0;

  constructor(opts: { prefix: string; viewers: number; streamIds: string[]; seed?: number }) {
    this.rand = rng(opts.seed ?? 42);
    const r = this.rand;
    this.viewers = Array.from({ length: opts.viewers }, (_, i) => ({
      clientId: `${opts.prefix}-${i.toString(36).padStart(6, "0")}`,
      streamId: opts.streamIds[i % opts.streamIds.length]!,
      // Public-looking IPv4 addresses (1–223, not 10/127): the GeoIP lookup has work to do.
      ip: `${[1 + Math.floor(r() * 222)].map((x) => (x === 10 || x === 127 ? 11 : x))[0]}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`,
      ua: UAS[Math.floor(r() * UAS.length)]!,
      seq: 0,
      playing: false,
    }));
  }

  /** The next viewer's next batch (viewers take turns). */
  next(now = Date.now()): SimBatch {
    const v = this.viewers[this.cursor]!;
    this.cursor = (this.cursor + 1) % this.viewers.length;
    const n = 1 + Math.floor(this.rand() * 4);
    const events: { type: string; ts: number; videoTime: number; seq: number; extra?: Record<string, unknown> }[] = [];
    for (let i = 0; i < n; i++) {
      const ts = now - 15_000 + Math.round(((i + 1) * 15_000) / n);
      let type = "heartbeat";
      let extra: Record<string, unknown> | undefined;
      if (!v.playing) {
        type = "play";
        extra = { startupMs: 300 + Math.floor(this.rand() * 1500) };
        v.playing = true;
      } else {
        const x = this.rand();
        if (x < 0.04) type = "buffer_start";
        else if (x < 0.08) type = "buffer_end";
        else if (x < 0.1) {
          type = "pause";
          v.playing = false;
        } else if (x < 0.105) {
          type = "error";
          extra = { code: "NETWORK", message: "fragment load error" };
        }
      }
      v.seq++;
      events.push({ type, ts, videoTime: v.seq * 6, seq: v.seq, ...(extra ? { extra } : {}) });
    }
    this.sentBatches++;
    this.sentEvents += n;
    return { viewer: v, events: n, body: JSON.stringify({ streamId: v.streamId, clientId: v.clientId, sentAt: now, events }) };
  }

  /** The same batch as the writer receives it (for the database-limit baseline). */
  nextPrepared(now = Date.now()): PreparedBatch {
    const b = this.next(now);
    const parsed = JSON.parse(b.body) as { events: { type: PreparedBatch["events"][number]["type"]; ts: number; videoTime: number; seq: number; extra?: Record<string, unknown> }[] };
    return {
      streamId: b.viewer.streamId,
      clientId: b.viewer.clientId,
      country: "ZZ",
      deviceClass: "desktop",
      browser: "Chrome",
      os: "Windows",
      events: parsed.events.map((e) => ({ ...e, at: e.ts, extra: e.extra ?? null })),
    };
  }
}
