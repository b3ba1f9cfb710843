// Stream catalogue reads shared by the home page and the player API.
import { db } from "~/lib/db/prisma";
import type { ProviderKind, StreamStatus } from "~/generated/prisma/client";

export interface StreamListItem {
  id: string;
  title: string;
  status: StreamStatus;
  organizer: string;
  provider: ProviderKind | null;
  scheduledStartAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
}

const statusOrder: Record<StreamStatus, number> = { live: 0, scheduled: 1, ended: 2 };

export async function listStreams(): Promise<StreamListItem[]> {
  const rows = await db.stream.findMany({
    // Archived streams are kept for their figures, not listed.
    where: { archivedAt: null },
    include: { organizer: { select: { name: true } }, provider: { select: { provider: true } } },
    orderBy: [{ scheduledStartAt: "desc" }, { createdAt: "desc" }],
  });
  return rows
    .map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      organizer: s.organizer.name,
      provider: s.provider?.provider ?? null,
      scheduledStartAt: s.scheduledStartAt,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
    }))
    .sort((a, b) => statusOrder[a.status] - statusOrder[b.status]);
}

export async function getStreamSummary(id: string) {
  return db.stream.findUnique({
    where: { id },
    include: { organizer: { select: { name: true } }, provider: true },
  });
}
