// GET /api/v1/live: the streams live now and their viewers (docs/rest-api.md).
export { liveV1 as GET } from "~/server/rest/v1";
