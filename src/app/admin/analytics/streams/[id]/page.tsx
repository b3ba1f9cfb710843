import type { Metadata } from "next";
import { StreamAnalytics } from "~/components/StreamAnalytics";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Stream analytics" };
export const dynamic = "force-dynamic";

export default async function StreamAnalyticsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/analytics/streams/${encodeURIComponent(id)}`);
  return <StreamAnalytics streamId={id} />;
}
