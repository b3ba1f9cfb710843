// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZOrganizerUpdate as ZUpdateOrganizerInput, type TOrganizerUpdate as TUpdateOrganizerInput } from "~/catalog/schema";
