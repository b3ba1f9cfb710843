import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingBlock } from "~/components/QueryState";
import { StreamsDashboard } from "~/components/StreamsDashboard";
import { pathWithQuery } from "~/lib/safeCallback";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Stream analytics" };
export const dynamic = "force-dynamic";

export default async function StreamsAnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage(pathWithQuery("/admin/analytics/streams", await searchParams));
  return (
    <Suspense fallback={<LoadingBlock />}>
      <StreamsDashboard />
    </Suspense>
  );
}
