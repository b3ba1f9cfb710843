// GET /api/demo/live/playlist.m3u8: the demo's live stream, the demo clip looped as a live HLS
// stream (src/streams/demoLive.ts). Never cached: every request sees the current live edge.
import { demoLivePlaylist } from "~/streams/demoLive";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response(demoLivePlaylist(Date.now()), {
    headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "no-store" },
  });
}
