import { createOrganizer } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TCreateOrganizerInput } from "./createOrganizer.schema";

export const createOrganizerHandler = ({ input }: { input: TCreateOrganizerInput }) => asTRPC(() => createOrganizer(input));
