"use client";
// Bunny Stream (and any HLS URL): hls.js where Media Source Extensions exist, the browser's own HLS
// on Safari. Media element events and hls.js errors are reported to the playback tracker.
import { useEffect, useRef, useState } from "react";
import type { ErrorData } from "hls.js";
import type { TrackerHandle } from "~/hooks/usePlaybackTracker";

interface Props {
  src: string;
  title: string;
  tracker: TrackerHandle;
  autoPlay: boolean;
  onFatalError: (message: string) => void;
}

type NetworkInformation = { effectiveType?: string };

function isSafari(): boolean {
  const ua = navigator.userAgent;
  return /Safari\//.test(ua) && !/Chrome|Chromium|CriOS|Android|Edg\//.test(ua);
}

function describeHlsError(data: ErrorData): string {
  const code = data.response?.code;
  const status = code && code >= 400 ? ` (HTTP ${code})` : "";
  return `${data.error?.message || data.details}${status}`;
}

export function BunnyHlsPlayer({ src, title, tracker, autoPlay, onFatalError }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [started, setStarted] = useState(false);
  const fatalRef = useRef(onFatalError);
  useEffect(() => {
    fatalRef.current = onFatalError;
  }, [onFatalError]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let hls: import("hls.js").default | null = null;
    let cancelled = false;
    const reported = new Set<string>();
    const fail = (code: string | number, message: string) => {
      tracker.error(code, message, true);
      fatalRef.current(message);
    };

    tracker.setVideoTime(() => video.currentTime);
    tracker.setContext(() => {
      const extra: Record<string, unknown> = {};
      const conn = (navigator as Navigator & { connection?: NetworkInformation }).connection?.effectiveType;
      if (conn) extra.connection = conn;
      const level = hls && hls.currentLevel >= 0 ? hls.levels[hls.currentLevel] : undefined;
      if (level?.bitrate) extra.bitrate = level.bitrate;
      return extra;
    });

    const listeners: [string, () => void][] = [
      ["play", () => {
        setStarted(true);
        tracker.playRequested();
      }],
      ["playing", () => tracker.playing()],
      // At the end the element fires pause then ended; only ended counts.
      ["pause", () => {
        if (!video.ended) tracker.paused();
      }],
      ["waiting", () => tracker.bufferStart(video.seeking ? "seek" : "stall")],
      ["ended", () => tracker.ended()],
      ["error", () => {
        if (hls) return; // hls.js reports its own errors, with more detail
        const e = video.error;
        fail(e ? `media_${e.code}` : "media", e?.message || "The video could not be played.");
      }],
    ];
    for (const [type, fn] of listeners) video.addEventListener(type, fn);

    const start = () => {
      if (!autoPlay || cancelled) return;
      tracker.playRequested();
      video.play().catch(() => {
        /* autoplay refused by the browser: the play button stays */
      });
    };

    const native = video.canPlayType("application/vnd.apple.mpegurl") !== "";
    if (native && isSafari()) {
      video.src = src;
      start();
    } else {
      import("hls.js")
        .then(({ default: Hls }) => {
          if (cancelled) return;
          if (!Hls.isSupported()) {
            if (native) {
              video.src = src;
              return start();
            }
            return fail("unsupported", "This browser cannot play HLS video.");
          }
          const h = new Hls({ enableWorker: true, lowLatencyMode: true });
          hls = h;
          let mediaRecoveries = 0;
          h.on(Hls.Events.ERROR, (_evt, data) => {
            if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) {
              tracker.bufferStart("stall");
              return;
            }
            // hls.js heals these itself (it skips a gap or nudges the playhead): not errors a viewer sees.
            if (data.details === Hls.ErrorDetails.BUFFER_SEEK_OVER_HOLE || data.details === Hls.ErrorDetails.BUFFER_NUDGE_ON_STALL) return;
            if (!data.fatal) {
              // Reported once per kind: hls.js retries these itself and most heal.
              if (!reported.has(data.details)) {
                reported.add(data.details);
                tracker.error(data.details, describeHlsError(data), false);
              }
              return;
            }
            if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 1) {
              mediaRecoveries++;
              tracker.error(data.details, describeHlsError(data), false);
              h.recoverMediaError();
              return;
            }
            h.destroy();
            hls = null;
            fail(data.details, describeHlsError(data));
          });
          h.loadSource(src);
          h.attachMedia(video);
          start();
        })
        .catch(() => fail("load", "The video player could not be loaded."));
    }

    return () => {
      cancelled = true;
      for (const [type, fn] of listeners) video.removeEventListener(type, fn);
      hls?.destroy();
      hls = null;
      video.removeAttribute("src");
      video.load();
    };
  }, [src, autoPlay, tracker]);

  return (
    <div className="player-frame">
      <video
        ref={videoRef}
        className="player-video"
        controls={started}
        playsInline
        muted={autoPlay}
        preload="metadata"
        aria-label={title}
        data-testid="hls-video"
      />
      {!started && (
        <button
          type="button"
          className="player-play"
          aria-label={`Play ${title}`}
          onClick={() => {
            const v = videoRef.current;
            if (!v) return;
            tracker.playRequested();
            v.play().catch((err: Error) => {
              if (err.name !== "AbortError") fatalRef.current(`Playback could not start: ${err.message}`);
            });
          }}
        >
          <span aria-hidden>▶</span>
        </button>
      )}
    </div>
  );
}
