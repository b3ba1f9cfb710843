// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZStreamListInput as ZStreamsInput, type TStreamListInput as TStreamsInput } from "~/catalog/schema";
