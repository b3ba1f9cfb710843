// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (public: it describes, it reveals no data).
import { openApiDocument } from "~/server/rest/openapi";

export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
}
