// The demo's live stream: a sliding-window HLS playlist over the demo clip's segments
// (public/demo/hls, 6 × 2 s fMP4), looped forever and keyed to the wall clock, so every viewer
// sees the same "live edge" moving on as a real live stream does. Each loop restarts the clip's
// timestamps: a discontinuity marks it, and the discontinuity sequence counts the ones that slid out.

export const DEMO_CLIP = { segments: 6, seconds: 2, base: "/demo/hls/", init: "init.mp4" } as const;
/** Segments in the window: a player starts three back from the edge, as hls.js does. */
const WINDOW = 5;
/**
 * Sequence numbers count from here, not from 1970: with numbers in the hundreds of millions
 * Chromium's player crashed on this playlist (tried with hls.js 1.7); from 2026 they stay small.
 */
export const DEMO_EPOCH_MS = Date.UTC(2026, 0, 1);

export function demoLivePlaylist(nowMs: number, clip: { segments: number; seconds: number; base: string; init: string } = DEMO_CLIP): string {
  const last = Math.max(0, Math.floor((nowMs - DEMO_EPOCH_MS) / (clip.seconds * 1000)));
  const first = Math.max(0, last - WINDOW + 1);
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${clip.seconds}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    // Loop boundaries at or before the first segment (segment k·n starts loop k).
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / clip.segments)}`,
    `#EXT-X-MAP:URI="${clip.base}${clip.init}"`,
  ];
  for (let i = first; i <= last; i++) {
    if (i > first && i % clip.segments === 0) lines.push("#EXT-X-DISCONTINUITY", `#EXT-X-MAP:URI="${clip.base}${clip.init}"`);
    lines.push(`#EXTINF:${clip.seconds.toFixed(3)},`, `${clip.base}segment${String(i % clip.segments).padStart(3, "0")}.m4s`);
  }
  return lines.join("\n") + "\n";
}
