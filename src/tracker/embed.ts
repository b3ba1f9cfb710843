// The tracker on any site: finds the player on the page (a <video>, Bunny Stream's iframe or a
// YouTube iframe), attaches the matching adapter and sends its viewing to Streamscope. Used by the
// served /streamscope.js (script.ts, data attributes) and importable by bundlers (index.ts).
import { attachBunny } from "./adapters/bunny";
import { attachVideo } from "./adapters/video";
import { attachYouTube } from "./adapters/youtube";
import { createPlaybackTracker, type PlaybackTracker } from "./playback";

export type PlayerKind = "video" | "bunny" | "youtube";

export interface TrackOptions {
  streamId: string;
  /** Streamscope's origin, e.g. https://stats.example.com (default: this page's origin). */
  endpoint?: string;
  /** The player: an element or a CSS selector (default: the first player found on the page). */
  element?: Element | string | null;
  /** For a player on a custom domain that its URL does not tell. */
  player?: PlayerKind;
}

export interface Tracking {
  /** Found and attached (false while it waits for a player to appear). */
  readonly attached: boolean;
  readonly tracker: PlaybackTracker | null;
  stop(): void;
}

const BUNNY = /(^|\.)(mediadelivery\.net|b-cdn\.net|bunnycdn\.com)$/;
const YOUTUBE = /(^|\.)(youtube\.com|youtube-nocookie\.com)$/;

/** What kind of player `el` is, from its tag or its iframe's address; null for anything else. */
export function playerKind(el: Element): PlayerKind | null {
  const tag = el.tagName;
  if (tag === "VIDEO" || tag === "AUDIO") return "video";
  if (tag !== "IFRAME") return null;
  let host = "";
  try {
    host = new URL((el as HTMLIFrameElement).src).hostname;
  } catch {
    return null;
  }
  return BUNNY.test(host) ? "bunny" : YOUTUBE.test(host) ? "youtube" : null;
}

function findPlayer(doc: Document, sel: string | undefined, forced?: PlayerKind): { el: Element; kind: PlayerKind } | null {
  const candidates = sel ? [doc.querySelector(sel)] : Array.from(doc.querySelectorAll("video,audio,iframe"));
  for (const el of candidates) {
    const kind = el && (forced ?? playerKind(el));
    if (el && kind) return { el, kind };
  }
  return null;
}

export function track(opts: TrackOptions): Tracking {
  const doc = document;
  let tracker: PlaybackTracker | null = null;
  let detach: (() => void) | undefined;
  let observer: MutationObserver | undefined;

  const attach = (el: Element, kind: PlayerKind) => {
    observer?.disconnect();
    tracker = createPlaybackTracker({ streamId: opts.streamId, apiUrl: opts.endpoint });
    tracker.setContext(() => {
      const conn = (navigator as Navigator & { connection?: { effectiveType?: string } }).connection?.effectiveType;
      return conn ? { connection: conn } : undefined;
    });
    detach =
      kind === "video"
        ? attachVideo(el as HTMLMediaElement, tracker)
        : kind === "bunny"
          ? attachBunny(el as HTMLIFrameElement, tracker)
          : attachYouTube(el as HTMLIFrameElement, tracker);
  };

  const tryAttach = () => {
    if (tracker) return;
    if (opts.element && typeof opts.element !== "string") {
      const kind = opts.player ?? playerKind(opts.element);
      if (kind) attach(opts.element, kind);
      return;
    }
    const found = findPlayer(doc, opts.element ?? undefined, opts.player);
    if (found) attach(found.el, found.kind);
  };

  tryAttach();
  if (!tracker) {
    // A player that a framework or the page's own script adds later.
    observer = new MutationObserver(tryAttach);
    observer.observe(doc.documentElement, { childList: true, subtree: true });
  }
  return {
    get attached() {
      return tracker !== null;
    },
    get tracker() {
      return tracker;
    },
    stop() {
      observer?.disconnect();
      detach?.();
      tracker?.destroy();
    },
  };
}
