import type { Metadata } from "next";
import { LiveDashboard } from "~/components/LiveDashboard";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Live now" };
export const dynamic = "force-dynamic";

export default async function LivePage() {
  await requireAdminPage("/admin/analytics/live");
  return <LiveDashboard />;
}
