import { archiveOrganizer, createOrganizer, getOrganizer, listOrganizers, organizerChoices, restoreOrganizer, updateOrganizer } from "~/catalog/organizers";
import type { TListInput, TOrganizerCreate, TOrganizerUpdate } from "~/catalog/schema";
import { asTRPC } from "./errors";

export const organizersHandler = ({ input }: { input: TListInput }) => asTRPC(() => listOrganizers(input));
export const organizerChoicesHandler = () => organizerChoices();
export const organizerHandler = ({ input }: { input: { id: string } }) => asTRPC(() => getOrganizer(input.id));
export const createOrganizerHandler = ({ input }: { input: TOrganizerCreate }) => asTRPC(() => createOrganizer(input));
export const updateOrganizerHandler = ({ input }: { input: TOrganizerUpdate }) => asTRPC(() => updateOrganizer(input));
export const archiveOrganizerHandler = ({ input }: { input: { id: string } }) => asTRPC(() => archiveOrganizer(input.id));
export const restoreOrganizerHandler = ({ input }: { input: { id: string } }) => asTRPC(() => restoreOrganizer(input.id));
