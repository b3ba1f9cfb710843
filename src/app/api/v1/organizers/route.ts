// GET/POST /api/v1/organizers (docs/rest-api.md): the logic is in src/server/rest/v1.ts.
export { listOrganizersV1 as GET, createOrganizerV1 as POST } from "~/server/rest/v1";
