// A YouTube iframe (youtube.com/embed/ID) through YouTube's IFrame API, loaded from youtube.com
// when the page has not loaded it already. The API needs enablejsapi=1 in the iframe's URL: added
// (the iframe reloads once) when the embed code lacks it. States map as in src/components/YouTubePlayer.tsx.
import type { PlaybackTracker } from "../playback";

interface YTPlayer {
  getCurrentTime?(): number;
}
interface YTEvent {
  target: YTPlayer;
  data: number;
}
interface YTNamespace {
  Player: new (el: HTMLElement, o: { events: Record<string, (e: YTEvent) => void> }) => YTPlayer;
}
type YTWindow = Window & { YT?: YTNamespace; onYouTubeIframeAPIReady?: () => void };

const API = "https://www.youtube.com/iframe_api";

function loadApi(win: YTWindow): Promise<YTNamespace> {
  if (win.YT?.Player) return Promise.resolve(win.YT);
  return new Promise((resolve) => {
    const prior = win.onYouTubeIframeAPIReady;
    win.onYouTubeIframeAPIReady = () => {
      prior?.();
      if (win.YT) resolve(win.YT);
    };
    const doc = win.document;
    if (!doc.querySelector(`script[src="${API}"]`)) {
      const s = doc.createElement("script");
      s.src = API;
      s.async = true;
      doc.head.appendChild(s);
    }
  });
}

export function attachYouTube(iframe: HTMLIFrameElement, t: PlaybackTracker, win: YTWindow = window): () => void {
  let stopped = false;
  let player: YTPlayer | undefined;
  try {
    const u = new URL(iframe.src, win.location.href);
    if (u.searchParams.get("enablejsapi") !== "1") {
      u.searchParams.set("enablejsapi", "1");
      iframe.src = u.toString();
    }
  } catch {
    /* not a URL: the API attaches or reports nothing */
  }
  t.setVideoTime(() => player?.getCurrentTime?.() ?? 0);
  void loadApi(win).then((YT) => {
    if (stopped) return;
    player = new YT.Player(iframe, {
      events: {
        onStateChange: (e) => {
          if (stopped) return;
          player = e.target;
          switch (e.data) {
            case -1: // unstarted
              t.playRequested();
              break;
            case 3: // buffering: the play request before the first frame, a stall after it
              t.playRequested();
              t.bufferStart("stall");
              break;
            case 1:
              t.playing();
              break;
            case 2:
              t.paused();
              break;
            case 0:
              t.ended();
              break;
          }
        },
        onError: (e) => {
          if (!stopped) t.error(`youtube_${e.data}`, `YouTube player error ${e.data}.`, true);
        },
      },
    });
  });
  return () => {
    stopped = true;
  };
}
