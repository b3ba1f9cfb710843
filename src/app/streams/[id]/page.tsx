import { StreamView } from "~/components/StreamView";
import { env } from "~/env";

// The stream itself is loaded in the browser from GET /api/streams/[id], the same request an
// embedded player on another origin makes.
export default async function StreamPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <StreamView key={id} id={id} apiUrl={env.NEXT_PUBLIC_API_URL} />;
}
