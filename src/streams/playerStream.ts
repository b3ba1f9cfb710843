// What the player needs to know about a stream (GET /api/streams/[id]; its shape is
// src/contract/stream.ts): title, status, organizer and how to play it.
import type { PlayerProvider, PlayerStream } from "~/contract";
import { getStreamSummary } from "~/streams/queries";

type Summary = NonNullable<Awaited<ReturnType<typeof getStreamSummary>>>;

function bunnyPlaybackUrl(p: { playbackUrl: string | null; bunnyPlaybackHost: string | null; bunnyVideoGuid: string | null }): string | null {
  if (p.playbackUrl) return p.playbackUrl;
  if (p.bunnyPlaybackHost && p.bunnyVideoGuid) return `https://${p.bunnyPlaybackHost}/${p.bunnyVideoGuid}/playlist.m3u8`;
  return null;
}

function toPlayerStream(s: Summary): PlayerStream {
  const p = s.provider;
  let provider: PlayerProvider | null = null;
  if (p?.provider === "bunny_stream") {
    provider = {
      kind: "bunny_stream",
      libraryId: p.bunnyLibraryId,
      videoGuid: p.bunnyVideoGuid,
      playbackHost: p.bunnyPlaybackHost,
      playbackUrl: bunnyPlaybackUrl(p),
    };
  } else if (p?.provider === "youtube" && p.youtubeVideoId) {
    provider = { kind: "youtube", videoId: p.youtubeVideoId };
  }
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    organizer: { id: s.organizerId, name: s.organizer.name },
    scheduledStartAt: s.scheduledStartAt?.toISOString() ?? null,
    startedAt: s.startedAt?.toISOString() ?? null,
    endedAt: s.endedAt?.toISOString() ?? null,
    provider,
  };
}

export async function getPlayerStream(id: string): Promise<PlayerStream | null> {
  const s = await getStreamSummary(id);
  return s ? toPlayerStream(s) : null;
}
