import type { Metadata } from "next";
import "../../catalog.css";
import { StreamEditor } from "~/components/catalog/StreamEditor";
import { TrackerSnippet } from "~/components/TrackerSnippet";
import { requireAdminPage } from "~/server/auth";
import { publicOrigin } from "~/server/publicOrigin";

export const metadata: Metadata = { title: "Stream" };
export const dynamic = "force-dynamic";

export default async function StreamPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  await requireAdminPage(`/admin/streams/${encodeURIComponent(id)}`);
  const sp = await searchParams;
  return (
    <>
      <StreamEditor id={id} created={sp.created === "1"} />
      <TrackerSnippet origin={await publicOrigin()} streamId={id} />
    </>
  );
}
