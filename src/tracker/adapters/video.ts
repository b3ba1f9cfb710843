// A native <video> (or <audio>), played by the browser or by hls.js/dash.js through Media Source
// Extensions: the media element's own events say everything the tracker needs.
import type { PlaybackTracker } from "../playback";

export function attachVideo(video: HTMLMediaElement, t: PlaybackTracker): () => void {
  t.setVideoTime(() => video.currentTime);
  const on: [string, () => void][] = [
    ["play", () => t.playRequested()],
    ["playing", () => t.playing()],
    // At the end the element fires pause then ended; only ended counts.
    ["pause", () => !video.ended && t.paused()],
    ["waiting", () => t.bufferStart(video.seeking ? "seek" : "stall")],
    ["ended", () => t.ended()],
    [
      "error",
      () => {
        const e = video.error;
        t.error(e ? `media_${e.code}` : "media", e?.message || "The video could not be played.", true);
      },
    ],
  ];
  for (const [type, fn] of on) video.addEventListener(type, fn);
  // The script loads async: the video may already be playing (autoplay) when it attaches.
  if (!video.paused && !video.ended && video.readyState > 2) {
    t.playRequested();
    t.playing();
  }
  return () => {
    for (const [type, fn] of on) video.removeEventListener(type, fn);
  };
}
