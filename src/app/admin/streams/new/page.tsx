import type { Metadata } from "next";
import "../../catalog.css";
import { StreamForm } from "~/components/catalog/StreamForm";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "New stream" };
export const dynamic = "force-dynamic";

export default async function NewStreamPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("/admin/streams/new");
  const sp = await searchParams;
  return (
    <>
      <h1>New stream</h1>
      <p className="muted">It starts as scheduled; go live from its page when the event starts.</p>
      <div className="narrow-form">
        <StreamForm organizerId={typeof sp.organizer === "string" ? sp.organizer : undefined} />
      </div>
    </>
  );
}
