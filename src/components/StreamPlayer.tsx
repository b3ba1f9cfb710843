"use client";
// Picks the provider of a stream and wires it to one playback tracker. A fatal player error
// replaces the player with an error state and a retry button.
import { useCallback, useState } from "react";
import type { PlayerStream } from "~/contract";
import { usePlaybackTracker } from "~/hooks/usePlaybackTracker";
import { BunnyHlsPlayer } from "./BunnyHlsPlayer";
import { YouTubePlayer } from "./YouTubePlayer";

function resolvePlaybackUrl(url: string, apiUrl?: string): string {
  // Relative playback URLs (self-hosted or demo HLS) belong to the app that served the stream.
  if (/^https?:\/\//i.test(url) || !apiUrl) return url;
  return `${apiUrl.replace(/\/+$/, "")}${url.startsWith("/") ? "" : "/"}${url}`;
}

export function StreamPlayer({ stream, apiUrl }: { stream: PlayerStream; apiUrl?: string }) {
  const tracker = usePlaybackTracker(stream.id, apiUrl);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const onFatalError = useCallback((message: string) => setError(message), []);
  const provider = stream.provider;
  const autoPlay = stream.status === "live";

  if (error) {
    return (
      <div className="player-state player-state-error" role="alert" data-testid="player-error">
        <div>
          <h2>This video cannot be played right now</h2>
          <p>{error}</p>
          <p>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setError(null);
                setAttempt((a) => a + 1);
              }}
            >
              Try again
            </button>
          </p>
        </div>
      </div>
    );
  }
  if (provider?.kind === "bunny_stream" && provider.playbackUrl) {
    return (
      <BunnyHlsPlayer
        key={attempt}
        src={resolvePlaybackUrl(provider.playbackUrl, apiUrl)}
        title={stream.title}
        tracker={tracker}
        autoPlay={autoPlay}
        onFatalError={onFatalError}
      />
    );
  }
  if (provider?.kind === "youtube") {
    return (
      <YouTubePlayer key={attempt} videoId={provider.videoId} title={stream.title} tracker={tracker} autoPlay={autoPlay} onFatalError={onFatalError} />
    );
  }
  return (
    <div className="player-state" data-testid="player-offline">
      <div>
        <h2>No video for this stream</h2>
        <p>The organizer has not connected a player yet.</p>
      </div>
    </div>
  );
}
