// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZStreamInput, type TById as TStreamInput } from "~/catalog/schema";
