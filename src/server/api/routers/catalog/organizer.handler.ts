import { getOrganizer } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TOrganizerInput } from "./organizer.schema";

export const organizerHandler = ({ input }: { input: TOrganizerInput }) => asTRPC(() => getOrganizer(input.id));
