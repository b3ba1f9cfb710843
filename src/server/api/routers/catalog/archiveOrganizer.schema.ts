// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZArchiveOrganizerInput, type TById as TArchiveOrganizerInput } from "~/catalog/schema";
