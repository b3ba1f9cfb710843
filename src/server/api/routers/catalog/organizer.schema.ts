// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZOrganizerInput, type TById as TOrganizerInput } from "~/catalog/schema";
