import { listOrganizers } from "~/catalog/organizers";
import { asTRPC } from "./errors";
import type { TOrganizersInput } from "./organizers.schema";

export const organizersHandler = ({ input }: { input: TOrganizersInput }) => asTRPC(() => listOrganizers(input));
