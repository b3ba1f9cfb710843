"use client";
// The streams catalogue: active or archived, optionally one organizer's, newest first.
import Link from "next/link";
import { useState } from "react";
import { api } from "~/trpc/react";
import { fmtTime } from "./fields";

export function StreamsAdmin({ organizerId }: { organizerId?: string }) {
  const [archived, setArchived] = useState(false);
  const list = api.catalog.streams.useInfiniteQuery({ archived, limit: 50, organizerId }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="section">
      <div className="tabs" role="tablist" aria-label="Which streams">
        <button role="tab" aria-selected={!archived} className={!archived ? "tab active" : "tab"} onClick={() => setArchived(false)}>
          Active
        </button>
        <button role="tab" aria-selected={archived} className={archived ? "tab active" : "tab"} onClick={() => setArchived(true)}>
          Archived
        </button>
      </div>
      {list.isLoading ? (
        <p className="muted">Loading…</p>
      ) : list.error ? (
        <p className="error-box">{list.error.message}</p>
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="streams-empty">
          {archived ? "No archived streams." : "No streams yet."}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="catalog-table" data-testid="catalog-streams-table">
            <thead>
              <tr>
                <th>Stream</th>
                <th>Organizer</th>
                <th>Status</th>
                <th>Plays from</th>
                <th>Scheduled start</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} data-id={s.id}>
                  <td>
                    <Link href={`/admin/streams/${s.id}`}>{s.title}</Link>
                  </td>
                  <td>{s.organizer.name}</td>
                  <td>
                    <span className={`badge badge-${s.status}`}>{s.status}</span>
                  </td>
                  <td>{s.provider?.kind === "youtube" ? "YouTube" : s.provider ? "Bunny Stream" : "—"}</td>
                  <td className="nowrap">{fmtTime(s.scheduledStartAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          More
        </button>
      )}
    </section>
  );
}
