import type { Metadata } from "next";
import Link from "next/link";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const pages = [
  { href: "/admin/analytics/streams", title: "Stream analytics", text: "Viewers, watch time, peaks and playback quality per stream for any date range, with CSV export." },
  { href: "/admin/analytics/live", title: "Live now", text: "Streams on air and how many people watch them at this moment, refreshed every 10 seconds." },
  { href: "/admin/streams", title: "Streams", text: "Add a stream, paste its Bunny or YouTube URL, go live and end it, archive what is over." },
  { href: "/admin/organizers", title: "Organizers", text: "Who runs the events: create, rename, archive and restore." },
  { href: "/admin/tokens", title: "API tokens", text: "Bearer tokens for the REST API (/api/v1): read or write, optionally for one organizer; revoke any time." },
  { href: "/admin/jobs", title: "Job runs", text: "Recent runs of the aggregation, Bunny sync, partitions and retention jobs: outcome, duration, figures and failures." },
];

export default async function AdminHome() {
  const session = await requireAdminPage("/admin");
  return (
    <>
      <h1>Admin</h1>
      <p className="muted">Signed in as {session.user.email}.</p>
      <ul className="grid admin-links" data-testid="admin-links">
        {pages.map((p) => (
          <li key={p.href} className="card">
            <h2>
              <Link href={p.href}>{p.title}</Link>
            </h2>
            <p className="muted">{p.text}</p>
          </li>
        ))}
      </ul>
      <p className="muted">A stream&apos;s own page opens from the stream analytics table.</p>
    </>
  );
}
