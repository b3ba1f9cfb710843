// GET /api/v1/streams/{id}/breakdown?by=country|device (docs/rest-api.md).
export { streamBreakdownV1 as GET } from "~/server/rest/v1";
