"use client";
// The public stream page: loads the stream from GET /api/streams/[id] and shows the player, or
// what stands in for it (loading, not started yet, unknown stream, failed to load).
import Link from "next/link";
import { useEffect, useState } from "react";
import type { PlayerStream } from "~/contract";
import { StatusBadge } from "./StatusBadge";
import { StreamPlayer } from "./StreamPlayer";

type Load = { kind: "loading" } | { kind: "ready"; stream: PlayerStream } | { kind: "unknown" } | { kind: "failed"; message: string };

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (iso: string | null) => (iso ? `${fmt.format(new Date(iso))} UTC` : null);

/** `apiUrl`: NEXT_PUBLIC_API_URL, given by the page (the browser reads no environment). */
export function StreamView({ id, apiUrl }: { id: string; apiUrl?: string }) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    const base = (apiUrl ?? "").replace(/\/+$/, "");
    fetch(`${base}/api/streams/${encodeURIComponent(id)}`, { signal: ctrl.signal })
      .then(async (res) => {
        if (res.status === 404) return setLoad({ kind: "unknown" });
        if (!res.ok) return setLoad({ kind: "failed", message: `The server answered ${res.status}.` });
        const stream = (await res.json()) as PlayerStream;
        document.title = `${stream.title} · Streamscope`;
        setLoad({ kind: "ready", stream });
      })
      .catch((err: Error) => {
        if (err.name !== "AbortError") setLoad({ kind: "failed", message: "The network is unreachable." });
      });
    return () => ctrl.abort();
  }, [id, apiUrl, reload]);

  if (load.kind === "loading") {
    return (
      <div aria-busy="true" data-testid="stream-loading">
        <p className="muted">Loading stream…</p>
        <div className="player-skeleton" />
      </div>
    );
  }
  if (load.kind === "unknown") {
    return (
      <div className="player-state" data-testid="stream-unknown">
        <div>
          <h2>Unknown stream</h2>
          <p>There is no stream “{id}”. It may have been removed.</p>
          <p>
            <Link href="/">See all streams</Link>
          </p>
        </div>
      </div>
    );
  }
  if (load.kind === "failed") {
    return (
      <div className="player-state player-state-error" role="alert" data-testid="stream-load-error">
        <div>
          <h2>The stream could not be loaded</h2>
          <p>{load.message}</p>
          <p>
            <button type="button" className="primary" onClick={() => (setLoad({ kind: "loading" }), setReload((r) => r + 1))}>
              Try again
            </button>
          </p>
        </div>
      </div>
    );
  }

  const s = load.stream;
  return (
    <>
      <div className="stream-meta">
        <h1>{s.title}</h1>
        <StatusBadge status={s.status} />
        <span className="muted">{s.organizer.name}</span>
        {s.status === "live" && s.startedAt && <span className="muted">started {when(s.startedAt)}</span>}
        {s.status === "ended" && s.endedAt && <span className="muted">ended {when(s.endedAt)}</span>}
      </div>
      {s.status === "scheduled" ? (
        <div className="player-state" data-testid="stream-scheduled">
          <div>
            <h2>Not started yet</h2>
            <p>{s.scheduledStartAt ? `This stream starts ${when(s.scheduledStartAt)}.` : "This stream has no start time yet."}</p>
            <p>Come back then, or reload this page.</p>
          </div>
        </div>
      ) : (
        <>
          {s.status === "ended" && (
            <p className="muted" data-testid="stream-ended">
              This stream has ended{s.provider ? "; you are watching the recording." : "."}
            </p>
          )}
          <StreamPlayer stream={s} apiUrl={apiUrl} />
        </>
      )}
      <p className="player-notice" data-testid="privacy-notice">
        We collect anonymous viewing statistics (what plays, for how long, and how well), with no cookies and
        without storing your IP address. <Link href="/privacy">What we keep and for how long</Link>.
      </p>
    </>
  );
}
