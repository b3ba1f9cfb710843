// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZOrganizerCreate as ZCreateOrganizerInput, type TOrganizerCreate as TCreateOrganizerInput } from "~/catalog/schema";
