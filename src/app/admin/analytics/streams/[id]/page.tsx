import type { Metadata } from "next";
import { headers } from "next/headers";
import { StreamAnalytics } from "~/components/StreamAnalytics";
import { TrackerSnippet } from "~/components/TrackerSnippet";
import { env } from "~/env";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "Stream analytics" };
export const dynamic = "force-dynamic";

/** This app's public origin for the embed code: NEXTAUTH_URL's, else the address this page was asked on. */
async function publicOrigin(): Promise<string> {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? (env.VERCEL ? "https" : "http");
  return `${proto}://${host}`;
}

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
