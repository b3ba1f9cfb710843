"use client";
// One tracker per mounted player and stream. Returns a stable object whose methods forward to the
// current tracker, so providers can call it from media event handlers without re-subscribing.
import { useEffect, useMemo, useRef } from "react";
import { createPlaybackTracker, type PlaybackTracker } from "~/tracker";

export type TrackerHandle = Omit<PlaybackTracker, "clientId" | "state" | "destroy">;

/** `apiUrl`: where events go when the player is embedded on another origin (NEXT_PUBLIC_API_URL). */
export function usePlaybackTracker(streamId: string, apiUrl?: string): TrackerHandle {
  const ref = useRef<PlaybackTracker | null>(null);
  // Kept here too: a provider may install them before (or across) the tracker's own life.
  const videoTime = useRef<() => number>(() => 0);
  const context = useRef<() => Record<string, unknown> | undefined>(() => undefined);
  useEffect(() => {
    const tracker = createPlaybackTracker({ streamId, apiUrl });
    tracker.setVideoTime(() => videoTime.current());
    tracker.setContext(() => context.current());
    ref.current = tracker;
    return () => {
      // Leaving the page in-app (client navigation): what waits goes out by beacon.
      tracker.destroy();
      if (ref.current === tracker) ref.current = null;
    };
  }, [streamId, apiUrl]);
  return useMemo<TrackerHandle>(
    () => ({
      setVideoTime: (fn) => {
        videoTime.current = fn;
      },
      setContext: (fn) => {
        context.current = fn;
      },
      playRequested: () => ref.current?.playRequested(),
      playing: () => ref.current?.playing(),
      paused: () => ref.current?.paused(),
      bufferStart: (cause) => ref.current?.bufferStart(cause),
      bufferEnd: () => ref.current?.bufferEnd(),
      ended: () => ref.current?.ended(),
      error: (code, message, fatal) => ref.current?.error(code, message, fatal),
      flush: () => ref.current?.flush() ?? Promise.resolve(),
    }),
    [],
  );
}
