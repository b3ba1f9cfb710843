import type { Metadata } from "next";
import "../catalog.css";
import { OrganizersAdmin } from "~/components/catalog/OrganizersAdmin";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Organizers" };
export const dynamic = "force-dynamic";

export default async function OrganizersPage() {
  await requireAdminPage("/admin/organizers");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Organizers</h1>
          <p className="muted">Who runs the events. Each stream belongs to one organizer; an API token may be bound to one.</p>
        </div>
      </div>
      <OrganizersAdmin />
    </>
  );
}
