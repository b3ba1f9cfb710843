// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZRestoreOrganizerInput, type TById as TRestoreOrganizerInput } from "~/catalog/schema";
