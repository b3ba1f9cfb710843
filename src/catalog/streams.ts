// Streams: create, edit, move through scheduled → live → ended (stamping the actual start and end),
// archive (kept with archived_at: hidden from lists, refused by ingestion) and restore.
import { STREAM_STATUS_MOVES, type StreamStatus } from "~/contract";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db/prisma";
import { afterCursor, page } from "./cursor";
import { CatalogError } from "./errors";
import type { Visibility } from "./organizers";
import type { ProviderInput, TStreamCreate, TStreamListInput, TStreamUpdate } from "./schema";

export type CatalogProvider =
  | { kind: "bunny_stream"; libraryId: string | null; videoGuid: string | null; playbackHost: string | null }
  | { kind: "youtube"; videoId: string | null };

export interface CatalogStream {
  id: string;
  title: string;
  status: StreamStatus;
  organizer: { id: string; name: string };
  provider: CatalogProvider | null;
  scheduledStartAt: Date | null;
  scheduledEndAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const include = { organizer: { select: { id: true, name: true, archivedAt: true } }, provider: true } as const;
type Row = Prisma.StreamGetPayload<{ include: typeof include }>;

function toStream(s: Row): CatalogStream {
  const p = s.provider;
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    organizer: { id: s.organizer.id, name: s.organizer.name },
    provider: !p
      ? null
      : p.provider === "youtube"
        ? { kind: "youtube", videoId: p.youtubeVideoId }
        : { kind: "bunny_stream", libraryId: p.bunnyLibraryId, videoGuid: p.bunnyVideoGuid, playbackHost: p.bunnyPlaybackHost },
    scheduledStartAt: s.scheduledStartAt,
    scheduledEndAt: s.scheduledEndAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    archivedAt: s.archivedAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The stream_providers columns for a provider (the others cleared, so a switch leaves nothing behind). */
function providerData(p: ProviderInput) {
  return p.kind === "youtube"
    ? { provider: "youtube" as const, youtubeVideoId: p.videoId, bunnyLibraryId: null, bunnyVideoGuid: null, bunnyPlaybackHost: null, playbackUrl: null }
    : { provider: "bunny_stream" as const, youtubeVideoId: null, bunnyLibraryId: p.libraryId, bunnyVideoGuid: p.videoGuid, bunnyPlaybackHost: p.playbackHost, playbackUrl: null };
}

function sameProvider(next: ProviderInput, now: CatalogProvider | null): boolean {
  if (!now || now.kind !== next.kind) return false;
  if (next.kind === "youtube") return now.kind === "youtube" && now.videoId === next.videoId;
  return now.kind === "bunny_stream" && now.libraryId === next.libraryId && now.videoGuid === next.videoGuid && now.playbackHost === next.playbackHost;
}

const notFound = (id: string, field = "id") => new CatalogError("not_found", `No stream with id "${id}".`, field);

/** A page of streams, newest first; archived ones only when asked for (and then only those). */
export async function listCatalogStreams(input: TStreamListInput, visible: Visibility = {}) {
  if (visible.organizerId && input.organizerId && input.organizerId !== visible.organizerId) return { items: [], nextCursor: null };
  const organizerId = visible.organizerId ?? input.organizerId;
  const rows = await db.stream.findMany({
    where: {
      archivedAt: input.archived ? { not: null } : null,
      ...(organizerId ? { organizerId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...afterCursor(input.cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    include,
  });
  const { items, nextCursor } = page(rows, input.limit);
  return { items: items.map(toStream), nextCursor };
}

/** One stream (archived ones too: they are kept); 404 for an id the caller may not see. */
export async function getCatalogStream(id: string, visible: Visibility = {}): Promise<CatalogStream> {
  const row = await db.stream.findUnique({ where: { id }, include });
  if (!row || (visible.organizerId && row.organizerId !== visible.organizerId)) throw notFound(id);
  return toStream(row);
}

/** An organizer a new or moved stream may belong to: it exists, is visible and not archived. */
async function checkOrganizer(organizerId: string, visible: Visibility) {
  const o = await db.organizer.findUnique({ where: { id: organizerId }, select: { archivedAt: true } });
  if (!o || (visible.organizerId && visible.organizerId !== organizerId)) {
    throw new CatalogError("not_found", `No organizer with id "${organizerId}".`, "organizerId");
  }
  if (o.archivedAt) throw new CatalogError("conflict", "is archived: restore it first", "organizerId");
}

export async function createCatalogStream(input: TStreamCreate, visible: Visibility = {}): Promise<CatalogStream> {
  await checkOrganizer(input.organizerId, visible);
  const row = await db.stream.create({
    data: {
      organizerId: input.organizerId,
      title: input.title,
      status: "scheduled",
      scheduledStartAt: input.scheduledStartAt ? new Date(input.scheduledStartAt) : null,
      scheduledEndAt: input.scheduledEndAt ? new Date(input.scheduledEndAt) : null,
      provider: { create: providerData(input.provider) },
    },
    include,
  });
  return toStream(row);
}

/** The columns a status move changes: live stamps the start once and clears an end, ended stamps the end. */
export function statusChange(from: StreamStatus, to: StreamStatus, stamps: { startedAt: Date | null }, now = new Date()) {
  if (from === to) return {};
  if (!STREAM_STATUS_MOVES[from].includes(to)) {
    throw new CatalogError("invalid", `cannot go from ${from} to ${to} (allowed: ${STREAM_STATUS_MOVES[from].join(", ")})`, "status");
  }
  if (to === "live") return { status: to, startedAt: stamps.startedAt ?? now, endedAt: null };
  if (to === "ended") return { status: to, endedAt: now };
  return { status: to };
}

export async function updateCatalogStream(input: TStreamUpdate, visible: Visibility = {}): Promise<CatalogStream> {
  if (input.archived === false) await restoreCatalogStream(input.id, visible);
  const updated = await applyUpdate(input, visible);
  return input.archived === true ? archiveCatalogStream(input.id, visible) : updated;
}

async function applyUpdate(input: TStreamUpdate, visible: Visibility): Promise<CatalogStream> {
  const current = await getCatalogStream(input.id, visible);
  if (input.organizerId && input.organizerId !== current.organizer.id) await checkOrganizer(input.organizerId, visible);
  if (current.archivedAt && input.status && input.status !== current.status) {
    throw new CatalogError("conflict", "the stream is archived: restore it first", "status");
  }
  const data: Prisma.StreamUncheckedUpdateInput = {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.organizerId !== undefined ? { organizerId: input.organizerId } : {}),
    ...(input.scheduledStartAt !== undefined ? { scheduledStartAt: input.scheduledStartAt ? new Date(input.scheduledStartAt) : null } : {}),
    ...(input.scheduledEndAt !== undefined ? { scheduledEndAt: input.scheduledEndAt ? new Date(input.scheduledEndAt) : null } : {}),
    ...(input.status ? statusChange(current.status, input.status, current) : {}),
  };
  // The schedule's order, checked against what is stored for the end not given.
  const start = data.scheduledStartAt !== undefined ? (data.scheduledStartAt as Date | null) : current.scheduledStartAt;
  const end = data.scheduledEndAt !== undefined ? (data.scheduledEndAt as Date | null) : current.scheduledEndAt;
  if (start && end && end < start) throw new CatalogError("invalid", "must be on or after the scheduled start", "scheduledEndAt");
  // The same provider again (a form saved unchanged) keeps its row as it is, playback URL included.
  const provider = input.provider && !sameProvider(input.provider, current.provider) ? providerData(input.provider) : null;
  const row = await db.stream.update({
    where: { id: input.id },
    data: {
      ...data,
      ...(provider ? { provider: { upsert: { create: provider, update: provider } } } : {}),
    },
    include,
  });
  return toStream(row);
}

/** Archives a stream that is not live (end it first: viewers may still be watching). */
export async function archiveCatalogStream(id: string, visible: Visibility = {}): Promise<CatalogStream> {
  const s = await getCatalogStream(id, visible);
  if (s.archivedAt) return s;
  if (s.status === "live") throw new CatalogError("conflict", "is live: end it before archiving", "status");
  return toStream(await db.stream.update({ where: { id }, data: { archivedAt: new Date() }, include }));
}

export async function restoreCatalogStream(id: string, visible: Visibility = {}): Promise<CatalogStream> {
  const s = await getCatalogStream(id, visible);
  const o = await db.organizer.findUnique({ where: { id: s.organizer.id }, select: { archivedAt: true } });
  if (o?.archivedAt) throw new CatalogError("conflict", "its organizer is archived: restore the organizer first", "organizerId");
  return toStream(await db.stream.update({ where: { id }, data: { archivedAt: null }, include }));
}
