import { updateOrganizer } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TUpdateOrganizerInput } from "./updateOrganizer.schema";

export const updateOrganizerHandler = ({ input }: { input: TUpdateOrganizerInput }) => asTRPC(() => updateOrganizer(input));
