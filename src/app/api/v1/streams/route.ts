// GET/POST /api/v1/streams (docs/rest-api.md): the logic is in src/server/rest/v1.ts.
export { listStreamsV1 as GET, createStreamV1 as POST } from "~/server/rest/v1";
