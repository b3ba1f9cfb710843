// Test data with unique ids, so test files can share one database and run in parallel.
import { randomBytes } from "node:crypto";
import { db } from "~/lib/db/prisma";
import type { ProviderKind, StreamStatus } from "~/generated/prisma/client";

export function uid(prefix = "t"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export async function createStream(opts: {
  provider?: ProviderKind;
  status?: StreamStatus;
  title?: string;
  organizerId?: string;
} = {}) {
  const organizerId =
    opts.organizerId ?? (await db.organizer.create({ data: { name: uid("Org"), slug: uid("org") } })).id;
  const provider = opts.provider ?? "bunny_stream";
  return db.stream.create({
    data: {
      id: uid("stream"),
      organizerId,
      title: opts.title ?? uid("Stream"),
      status: opts.status ?? "live",
      provider: {
        create:
          provider === "youtube"
            ? { provider, youtubeVideoId: "dQw4w9WgXcQ" }
            : { provider, bunnyLibraryId: "12345", bunnyVideoGuid: uid("guid"), bunnyPlaybackHost: "vz-test.b-cdn.net" },
      },
    },
    include: { provider: true },
  });
}
