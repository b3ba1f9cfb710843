"use client";
// One organizer: its form, archive/restore, and its streams.
import Link from "next/link";
import { api } from "~/trpc/react";
import { errorsOf, fmtTime } from "./fields";
import { OrganizerForm } from "./OrganizerForm";

export function OrganizerEditor({ id }: { id: string }) {
  const utils = api.useUtils();
  const organizer = api.catalog.organizer.useQuery({ id }, { retry: false });
  const after = () => void utils.catalog.invalidate();
  const archive = api.catalog.archiveOrganizer.useMutation({ onSuccess: after });
  const restore = api.catalog.restoreOrganizer.useMutation({ onSuccess: after });
  if (organizer.isLoading) return <p className="muted">Loading…</p>;
  if (organizer.error || !organizer.data) return <p className="error-box">{organizer.error?.message ?? "Not found."}</p>;
  const o = organizer.data;
  const failed = archive.error ?? restore.error;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{o.name}</h1>
          <p className="muted">
            {o.archivedAt ? <span className="badge badge-archived">archived {fmtTime(o.archivedAt)}</span> : null} {o.streamCount} stream
            {o.streamCount === 1 ? "" : "s"} · created {fmtTime(o.createdAt)} · id <code>{o.id}</code>
          </p>
        </div>
        <Link className="button" href={`/admin/streams?organizer=${encodeURIComponent(o.id)}`}>
          Its streams
        </Link>
      </div>
      <div className="catalog-layout">
        <OrganizerForm key={o.id} organizer={o} />
        <aside className="card">
          <h2>{o.archivedAt ? "Restore" : "Archive"}</h2>
          <p className="muted small">
            {o.archivedAt
              ? "Restoring lists the organizer again and lets it have new streams."
              : "Archiving hides the organizer from lists and choices; its figures are kept. Archive its streams first."}
          </p>
          {failed && (
            <p className="error-text" role="alert" data-testid="archive-error">
              {errorsOf(failed).fields.id?.join("; ") ?? failed.message}
            </p>
          )}
          {o.archivedAt ? (
            <button onClick={() => restore.mutate({ id })} disabled={restore.isPending}>
              Restore organizer
            </button>
          ) : (
            <button className="danger" onClick={() => archive.mutate({ id })} disabled={archive.isPending}>
              Archive organizer
            </button>
          )}
        </aside>
      </div>
    </>
  );
}
