// Door 1: a Web Request in, a Web Response out (the Next.js route handler, and anything else that
// speaks the Fetch API).
import { peerAddress } from "~/lib/clientAddress";
import { ingest, type Door, type IngestRequest, type IngestResponse } from "./handler";

async function readWebBody(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading: the rest is never buffered.
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function toIngestRequest(request: Request): IngestRequest {
  return {
    method: request.method,
    header: (name) => request.headers.get(name),
    // A Web Request has no socket: npm start's server hands its peer over (null elsewhere).
    socketAddress: peerAddress(),
    readBody: (limit) => readWebBody(request, limit),
  };
}

function toWebResponse(res: IngestResponse): Response {
  return new Response(res.status === 204 ? null : res.body, { status: res.status, headers: res.headers });
}

export async function ingestWebRequest(request: Request, door: Door = "next"): Promise<Response> {
  return toWebResponse(await ingest(toIngestRequest(request), door));
}
