// GET /api/v1/streams/{id}/stats?from=&to= (docs/rest-api.md): the logic is in src/server/rest/v1.ts.
export { streamStatsV1 as GET } from "~/server/rest/v1";
