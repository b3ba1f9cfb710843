import type { Metadata } from "next";
import "../../catalog.css";
import { OrganizerEditor } from "~/components/catalog/OrganizerEditor";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Organizer" };
export const dynamic = "force-dynamic";

export default async function OrganizerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/organizers/${encodeURIComponent(id)}`);
  return <OrganizerEditor id={id} />;
}
