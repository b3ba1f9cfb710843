import type { Metadata } from "next";
import Link from "next/link";
import "../catalog.css";
import { StreamsAdmin } from "~/components/catalog/StreamsAdmin";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Streams" };
export const dynamic = "force-dynamic";

export default async function StreamsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("/admin/streams");
  const sp = await searchParams;
  const organizer = typeof sp.organizer === "string" && sp.organizer ? sp.organizer : undefined;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Streams</h1>
          <p className="muted">Every stream and where it plays from. Figures are on the stream analytics pages.</p>
        </div>
        <Link className="button primary" href={organizer ? `/admin/streams/new?organizer=${encodeURIComponent(organizer)}` : "/admin/streams/new"}>
          New stream
        </Link>
      </div>
      <StreamsAdmin organizerId={organizer} />
    </>
  );
}
