// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZById as ZArchiveStreamInput, type TById as TArchiveStreamInput } from "~/catalog/schema";
