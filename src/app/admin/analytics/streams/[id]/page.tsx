import type { Metadata } from "next";
import { StreamAnalytics } from "~/components/StreamAnalytics";
import { TrackerSnippet } from "~/components/TrackerSnippet";
import { requireAdminPage } from "~/server/auth";
import { publicOrigin } from "~/server/publicOrigin";

export const metadata: Metadata = { title: "Stream analytics" };
export const dynamic = "force-dynamic";

export default async function StreamAnalyticsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/analytics/streams/${encodeURIComponent(id)}`);
  return (
    <>
      <StreamAnalytics streamId={id} />
      <TrackerSnippet origin={await publicOrigin()} streamId={id} />
    </>
  );
}
