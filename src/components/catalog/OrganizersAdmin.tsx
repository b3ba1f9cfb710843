"use client";
// The organizers page: the list (active or archived), a page at a time, and the create form.
import Link from "next/link";
import { useState } from "react";
import { api } from "~/trpc/react";
import { fmtTime } from "./fields";
import { OrganizerForm } from "./OrganizerForm";

export function OrganizersAdmin() {
  const [archived, setArchived] = useState(false);
  const list = api.catalog.organizers.useInfiniteQuery({ archived, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="catalog-layout">
      <section className="section">
        <div className="tabs" role="tablist" aria-label="Which organizers">
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
          <p className="muted" data-testid="organizers-empty">
            {archived ? "No archived organizers." : "No organizers yet: create the first one with the form."}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="catalog-table" data-testid="organizers-table">
              <thead>
                <tr>
                  <th>Organizer</th>
                  <th>Slug</th>
                  <th className="num">Streams</th>
                  <th>{archived ? "Archived" : "Created"}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id} data-id={o.id}>
                    <td>
                      <Link href={`/admin/organizers/${o.id}`}>{o.name}</Link>
                    </td>
                    <td>
                      <code>{o.slug}</code>
                    </td>
                    <td className="num">{o.streamCount}</td>
                    <td className="nowrap">{fmtTime(archived ? o.archivedAt : o.createdAt)}</td>
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
      <aside>
        <h2>New organizer</h2>
        <OrganizerForm />
      </aside>
    </div>
  );
}
