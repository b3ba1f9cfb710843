// GET/PATCH /api/v1/streams/{id} (docs/rest-api.md): the logic is in src/server/rest/v1.ts.
export { getStreamV1 as GET, patchStreamV1 as PATCH } from "~/server/rest/v1";
