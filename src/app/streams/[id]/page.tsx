import { notFound } from "next/navigation";
import { StatusBadge } from "~/components/StatusBadge";
import { getStreamSummary } from "~/streams/queries";

export const dynamic = "force-dynamic";

export default async function StreamPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const stream = await getStreamSummary(id);
  if (!stream) notFound();
  return (
    <>
      <StatusBadge status={stream.status} />
      <h1>{stream.title}</h1>
      <p className="muted">{stream.organizer.name}</p>
    </>
  );
}
