// The organizer filter's choices.
import { db } from "~/lib/db/prisma";

export interface OrganizerOption {
  id: string;
  name: string;
}

/** Every organizer, by name. */
export function organizers(): Promise<OrganizerOption[]> {
  return db.organizer.findMany({ select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
