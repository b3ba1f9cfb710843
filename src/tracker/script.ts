// /streamscope.js: `<script src="https://stats.example.com/streamscope.js" data-stream="ID" async>`.
// Reads its data attributes (data-stream, and optionally data-endpoint, data-target — a CSS
// selector for the player — and data-player: video|bunny|youtube), sends to the origin it was
// loaded from unless data-endpoint says otherwise, and offers window.streamscope.track() for
// players a page creates itself.
import { track, type PlayerKind } from "./embed";

const me = document.currentScript as HTMLScriptElement | null;
const d = me?.dataset;
(window as Window & { streamscope?: { track: typeof track } }).streamscope = { track };
if (d?.stream) {
  track({
    streamId: d.stream,
    endpoint: d.endpoint || new URL(me!.src, location.href).origin,
    element: d.target,
    player: d.player as PlayerKind | undefined,
  });
}
