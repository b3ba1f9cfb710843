"use client";
// One stream: its status moves (scheduled → live → ended, each stamping the actual start or end),
// archive/restore, and its form.
import Link from "next/link";
import { useState } from "react";
import { STREAM_STATUS_MOVES, type StreamStatus } from "~/contract";
import { api } from "~/trpc/react";
import { errorsOf, fmtTime } from "./fields";
import { StreamForm } from "./StreamForm";

const MOVE_LABEL: Record<StreamStatus, string> = { live: "Go live", ended: "End stream", scheduled: "Back to scheduled" };

export function StreamEditor({ id, created }: { id: string; created?: boolean }) {
  const utils = api.useUtils();
  const stream = api.catalog.stream.useQuery({ id }, { retry: false });
  const [notice, setNotice] = useState<string | null>(created ? "created" : null);
  const after = () => {
    setNotice(null);
    void utils.catalog.invalidate();
  };
  const move = api.catalog.updateStream.useMutation({ onSuccess: after });
  const archive = api.catalog.archiveStream.useMutation({ onSuccess: after });
  const restore = api.catalog.restoreStream.useMutation({ onSuccess: after });
  if (stream.isLoading) return <p className="muted">Loading…</p>;
  if (stream.error || !stream.data) return <p className="error-box">{stream.error?.message ?? "Not found."}</p>;
  const s = stream.data;
  const failed = move.error ?? archive.error ?? restore.error;
  const failedFields = errorsOf(failed).fields;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p className="muted">
            <span className={`badge badge-${s.status}`} data-testid="stream-status">
              {s.status}
            </span>{" "}
            {s.archivedAt && (
              <span className="badge badge-archived" data-testid="stream-archived">
                archived
              </span>
            )}{" "}
            {s.organizer.name} · id <code>{s.id}</code>
          </p>
        </div>
        <div className="form-actions">
          <Link className="button" href={`/admin/analytics/streams/${s.id}`}>
            Analytics
          </Link>
          <Link className="button" href={`/streams/${s.id}`}>
            Player page
          </Link>
        </div>
      </div>
      {notice === "created" && (
        <p className="form-ok" role="status">
          Stream created. Send its viewers’ events with stream id <code>{s.id}</code>.
        </p>
      )}
      {notice === "saved" && (
        <p className="form-ok" role="status">
          Saved.
        </p>
      )}
      <div className="catalog-layout">
        <StreamForm key={new Date(s.updatedAt).getTime()} stream={s} onSaved={() => setNotice("saved")} />
        <aside className="card status-card">
          <h2>Status</h2>
          <dl className="stamps">
            <dt>Scheduled</dt>
            <dd>
              {fmtTime(s.scheduledStartAt)} – {fmtTime(s.scheduledEndAt)}
            </dd>
            <dt>Started</dt>
            <dd data-testid="started-at">{fmtTime(s.startedAt)}</dd>
            <dt>Ended</dt>
            <dd data-testid="ended-at">{fmtTime(s.endedAt)}</dd>
          </dl>
          {!s.archivedAt && (
            <div className="form-actions">
              {STREAM_STATUS_MOVES[s.status].map((to) => (
                <button key={to} className={to === "live" ? "primary" : ""} onClick={() => move.mutate({ id, status: to })} disabled={move.isPending}>
                  {MOVE_LABEL[to]}
                </button>
              ))}
            </div>
          )}
          <h2>{s.archivedAt ? "Archived" : "Archive"}</h2>
          <p className="muted small">
            {s.archivedAt
              ? `Archived ${fmtTime(s.archivedAt)}: hidden from lists, and ingestion refuses its events (404). Its figures are kept.`
              : "Hides the stream from lists; ingestion then refuses its events (404). Its figures are kept, and it can be restored."}
          </p>
          {failed && (
            <p className="error-text" role="alert" data-testid="status-error">
              {Object.values(failedFields).flat().join("; ") || failed.message}
            </p>
          )}
          {s.archivedAt ? (
            <button onClick={() => restore.mutate({ id })} disabled={restore.isPending}>
              Restore stream
            </button>
          ) : (
            <button className="danger" onClick={() => archive.mutate({ id })} disabled={archive.isPending}>
              Archive stream
            </button>
          )}
        </aside>
      </div>
    </>
  );
}
