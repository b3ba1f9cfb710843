// GET /api/streams/[id]: what the player needs to know about a stream (title, status, organizer,
// how to play it). Served by src/streams/playerStream.ts, read by the player components.
import type { StreamStatus } from "./catalog";

export type PlayerProvider =
  | { kind: "bunny_stream"; libraryId: string | null; videoGuid: string | null; playbackHost: string | null; playbackUrl: string | null }
  | { kind: "youtube"; videoId: string };

export interface PlayerStream {
  id: string;
  title: string;
  status: StreamStatus;
  organizer: { id: string; name: string };
  scheduledStartAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  provider: PlayerProvider | null;
}
