// GET /api/v1/streams/{id}/series?granularity=day|minute&from=&to= (docs/rest-api.md).
export { streamSeriesV1 as GET } from "~/server/rest/v1";
