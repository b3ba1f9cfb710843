// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZStreamCreate as ZCreateStreamInput, type TStreamCreate as TCreateStreamInput } from "~/catalog/schema";
