// Organizers: create, rename, archive (kept with archived_at, hidden from lists) and restore.
// `visible` restricts a caller to one organizer (an organizer-bound API token): others are 404.
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db/prisma";
import { afterCursor, page } from "./cursor";
import { CatalogError } from "./errors";
import { slugify, type TListInput, type TOrganizerCreate, type TOrganizerUpdate } from "./schema";

/** Who is asking: an organizer-bound caller sees only that organizer. */
export interface Visibility {
  organizerId?: string | null;
}

export interface CatalogOrganizer {
  id: string;
  name: string;
  slug: string;
  streamCount: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const select = {
  id: true,
  name: true,
  slug: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { streams: { where: { archivedAt: null } } } },
} as const;

type Row = Prisma.OrganizerGetPayload<{ select: typeof select }>;
const toOrganizer = ({ _count, ...o }: Row): CatalogOrganizer => ({ ...o, streamCount: _count.streams });

/** A page of organizers, newest first; archived ones only when asked for (and then only those). */
export async function listOrganizers(input: TListInput, visible: Visibility = {}) {
  const rows = await db.organizer.findMany({
    where: {
      archivedAt: input.archived ? { not: null } : null,
      ...(visible.organizerId ? { id: visible.organizerId } : {}),
      ...afterCursor(input.cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select,
  });
  const { items, nextCursor } = page(rows, input.limit);
  return { items: items.map(toOrganizer), nextCursor };
}

/** Every organizer not archived, by name (the choices of a stream's organizer). */
export async function organizerChoices(visible: Visibility = {}) {
  return db.organizer.findMany({
    where: { archivedAt: null, ...(visible.organizerId ? { id: visible.organizerId } : {}) },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export async function getOrganizer(id: string, visible: Visibility = {}): Promise<CatalogOrganizer> {
  if (visible.organizerId && visible.organizerId !== id) throw notFound(id);
  const row = await db.organizer.findUnique({ where: { id }, select });
  if (!row) throw notFound(id);
  return toOrganizer(row);
}

const notFound = (id: string) => new CatalogError("not_found", `No organizer with id "${id}".`, "id");

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Creates an organizer; without a slug, one is made from the name (with -2, -3… when taken). */
export async function createOrganizer(input: TOrganizerCreate): Promise<CatalogOrganizer> {
  if (input.slug) {
    try {
      return toOrganizer(await db.organizer.create({ data: { name: input.name, slug: input.slug }, select }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new CatalogError("conflict", `is taken by another organizer`, "slug");
      throw err;
    }
  }
  const base = slugify(input.name);
  for (let n = 1; n < 50; n++) {
    const slug = n === 1 ? base : `${base.slice(0, 60)}-${n}`;
    try {
      return toOrganizer(await db.organizer.create({ data: { name: input.name, slug }, select }));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new CatalogError("conflict", "no free slug from this name: give one", "slug");
}

export async function updateOrganizer(input: TOrganizerUpdate): Promise<CatalogOrganizer> {
  await getOrganizer(input.id);
  try {
    return toOrganizer(
      await db.organizer.update({
        where: { id: input.id },
        data: { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.slug !== undefined ? { slug: input.slug } : {}) },
        select,
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new CatalogError("conflict", "is taken by another organizer", "slug");
    throw err;
  }
}

/** Archives an organizer whose streams are all archived (else its streams would lose their home in the lists). */
export async function archiveOrganizer(id: string): Promise<CatalogOrganizer> {
  const o = await getOrganizer(id);
  if (o.archivedAt) return o;
  if (o.streamCount > 0) {
    throw new CatalogError("conflict", `has ${o.streamCount} stream${o.streamCount === 1 ? "" : "s"} not archived: archive them first`, "id");
  }
  return toOrganizer(await db.organizer.update({ where: { id }, data: { archivedAt: new Date() }, select }));
}

export async function restoreOrganizer(id: string): Promise<CatalogOrganizer> {
  await getOrganizer(id);
  return toOrganizer(await db.organizer.update({ where: { id }, data: { archivedAt: null }, select }));
}
