// Bunny Stream's iframe player (iframe.mediadelivery.net/embed/...) speaks the player.js protocol
// over postMessage (https://docs.bunny.net/stream/playback-api): the page subscribes to events with
// {context: "player.js", method: "addEventListener", value: <event>} and the player posts
// {context: "player.js", event, value} back. player.js has no "playing" or buffering event: the
// first timeupdate whose position moves after a play is the first frame.
import type { PlaybackTracker } from "../playback";

const CONTEXT = "player.js";
const EVENTS = ["play", "pause", "timeupdate", "ended", "error"];

interface PlayerJsMessage {
  context?: string;
  event?: string;
  value?: { seconds?: number; code?: number | string; msg?: string; message?: string } | null;
}

export function attachBunny(iframe: HTMLIFrameElement, t: PlaybackTracker, win: Window = window): () => void {
  let origin = "*";
  try {
    origin = new URL(iframe.src, win.location.href).origin;
  } catch {
    /* no src yet: any origin until it has one */
  }
  let seconds = 0;
  let subscribed = false;
  // A play was asked for and no frame has shown since.
  let waitingForFrame = false;
  const post = (method: string, value: string) => {
    try {
      iframe.contentWindow?.postMessage(JSON.stringify({ context: CONTEXT, version: "0.0.11", method, value, listener: "streamscope" }), origin);
    } catch {
      /* the iframe is gone */
    }
  };
  // Answered at once by a player that is ready already; a player that becomes ready later posts
  // "ready" to the page by itself.
  const askReady = () => post("addEventListener", "ready");
  t.setVideoTime(() => seconds);

  const onMessage = (e: MessageEvent) => {
    if (e.source !== iframe.contentWindow) return;
    let d: PlayerJsMessage;
    try {
      d = (typeof e.data === "string" ? JSON.parse(e.data) : e.data) as PlayerJsMessage;
    } catch {
      return;
    }
    if (!d || d.context !== CONTEXT) return;
    const v = d.value;
    switch (d.event) {
      case "ready":
        if (!subscribed) {
          subscribed = true;
          for (const ev of EVENTS) post("addEventListener", ev);
        }
        break;
      case "play":
        waitingForFrame = true;
        t.playRequested();
        break;
      case "timeupdate": {
        const s = Number(v?.seconds);
        if (!Number.isFinite(s)) break;
        const moved = s > seconds;
        seconds = s;
        if (waitingForFrame && moved) {
          waitingForFrame = false;
          t.playing();
        }
        break;
      }
      case "pause":
        waitingForFrame = false;
        t.paused();
        break;
      case "ended":
        waitingForFrame = false;
        t.ended();
        break;
      case "error":
        t.error(`bunny_${v?.code ?? "player"}`, String(v?.msg ?? v?.message ?? "Bunny player error"), false);
        break;
    }
  };
  win.addEventListener("message", onMessage);
  iframe.addEventListener("load", askReady);
  askReady();
  return () => {
    win.removeEventListener("message", onMessage);
    iframe.removeEventListener("load", askReady);
  };
}
