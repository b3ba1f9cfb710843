import { archiveOrganizer } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TArchiveOrganizerInput } from "./archiveOrganizer.schema";

export const archiveOrganizerHandler = ({ input }: { input: TArchiveOrganizerInput }) => asTRPC(() => archiveOrganizer(input.id));
