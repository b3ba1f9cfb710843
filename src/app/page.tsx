import Link from "next/link";
import { StatusBadge } from "~/components/StatusBadge";
import { serverApi } from "~/trpc/server";

export const dynamic = "force-dynamic";

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function HomePage() {
  const streams = await (await serverApi()).streams.list();
  return (
    <>
      <h1>Streams</h1>
      <p className="muted">
        Watch a stream, or open the <Link href="/admin">admin area</Link> to see who watched and how well it played.
      </p>
      {streams.length === 0 ? (
        <div className="card">No streams yet. Run <code>npm run db:seed</code> for demo data.</div>
      ) : (
        <ul className="grid bare-list" data-testid="stream-list">
          {streams.map((s) => (
            <li key={s.id} className="card stream-card">
              <StatusBadge status={s.status} />
              <h3>
                <Link href={`/streams/${s.id}`}>{s.title}</Link>
              </h3>
              <p className="muted">{s.organizer}</p>
              <p className="muted">
                {s.provider === "bunny_stream" ? "Bunny Stream" : s.provider === "youtube" ? "YouTube" : "No player"}
                {" · "}
                {s.status === "live" && s.startedAt
                  ? `started ${fmt.format(s.startedAt)} UTC`
                  : s.status === "ended" && s.endedAt
                    ? `ended ${fmt.format(s.endedAt)} UTC`
                    : s.scheduledStartAt
                      ? `starts ${fmt.format(s.scheduledStartAt)} UTC`
                      : "not scheduled"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
