// The catalogue's inputs are the domain's (src/catalog/schema.ts): the REST API parses the same ones.
export { ZById, ZListInput, ZOrganizerCreate, ZOrganizerUpdate, ZStreamCreate, ZStreamListInput, ZStreamUpdate } from "~/catalog/schema";
