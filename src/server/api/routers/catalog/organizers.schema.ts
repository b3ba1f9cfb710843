// The domain's schema (src/catalog/schema.ts), which the REST API parses with too.
export { ZListInput as ZOrganizersInput, type TListInput as TOrganizersInput } from "~/catalog/schema";
