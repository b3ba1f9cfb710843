// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZRestoreStreamInput, type TById as TRestoreStreamInput } from "~/catalog/schema";
