import { restoreOrganizer } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TRestoreOrganizerInput } from "./restoreOrganizer.schema";

export const restoreOrganizerHandler = ({ input }: { input: TRestoreOrganizerInput }) => asTRPC(() => restoreOrganizer(input.id));
