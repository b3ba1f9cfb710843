"use client";
// YouTube through react-youtube (the IFrame API). Its state changes map onto the tracker:
// UNSTARTED/BUFFERING before the first frame = the play request; BUFFERING later = a stall.
import YouTube, { type YouTubeEvent, type YouTubePlayer as YTPlayer } from "react-youtube";
import { useRef } from "react";
import type { TrackerHandle } from "~/hooks/usePlaybackTracker";

interface Props {
  videoId: string;
  title: string;
  tracker: TrackerHandle;
  autoPlay: boolean;
  onFatalError: (message: string) => void;
}

const STATE = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } as const;

// https://developers.google.com/youtube/iframe_api_reference#onError
function youtubeErrorMessage(code: number): string {
  switch (code) {
    case 2:
      return "The video id is not valid.";
    case 5:
      return "The video cannot be played in the HTML5 player.";
    case 100:
      return "The video was not found (removed or private).";
    case 101:
    case 150:
      return "The owner does not allow this video to be embedded.";
    default:
      return `YouTube player error ${code}.`;
  }
}

export function YouTubePlayer({ videoId, title, tracker, autoPlay, onFatalError }: Props) {
  const player = useRef<YTPlayer | null>(null);

  const onReady = (e: YouTubeEvent) => {
    player.current = e.target;
    tracker.setVideoTime(() => {
      const t = player.current?.getCurrentTime?.();
      return typeof t === "number" ? t : 0;
    });
    tracker.setContext(() => {
      const conn = (navigator as Navigator & { connection?: { effectiveType?: string } }).connection?.effectiveType;
      return conn ? { connection: conn } : undefined;
    });
    if (autoPlay) tracker.playRequested();
  };

  const onStateChange = (e: YouTubeEvent<number>) => {
    switch (e.data) {
      case STATE.UNSTARTED:
        tracker.playRequested();
        break;
      case STATE.BUFFERING:
        tracker.playRequested(); // no-op once playback has started
        tracker.bufferStart("stall"); // no-op before the first frame
        break;
      case STATE.PLAYING:
        tracker.playing();
        break;
      case STATE.PAUSED:
        tracker.paused();
        break;
      case STATE.ENDED:
        tracker.ended();
        break;
    }
  };

  const onError = (e: YouTubeEvent<number> | Error) => {
    // The player reports its error codes as event.data; a failed load of YouTube's IFrame API
    // script (blocked, offline) arrives as a bare error instead.
    const code = "data" in e && typeof e.data === "number" ? e.data : null;
    const message = code === null ? "The YouTube player could not be loaded (is youtube.com reachable?)." : youtubeErrorMessage(code);
    tracker.error(code === null ? "youtube_load" : `youtube_${code}`, message, true);
    onFatalError(message);
  };

  return (
    <div className="player-frame" data-testid="youtube-player">
      <YouTube
        videoId={videoId}
        title={title}
        className="player-youtube"
        iframeClassName="player-video"
        opts={{ width: "100%", height: "100%", playerVars: { autoplay: autoPlay ? 1 : 0, playsinline: 1, rel: 0 } }}
        onReady={onReady}
        onStateChange={onStateChange}
        onError={onError}
      />
    </div>
  );
}
