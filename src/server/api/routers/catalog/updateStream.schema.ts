// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZStreamUpdate as ZUpdateStreamInput, type TStreamUpdate as TUpdateStreamInput } from "~/catalog/schema";
