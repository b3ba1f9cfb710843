// Door 1: a Web Request in, a Web Response out (the Next.js route handler, and anything else that
// speaks the Fetch API).
import { peerAddress } from "~/lib/clientAddress";
import { ingest, type Door, type IngestRequest, type IngestResponse } from "./handler";

async function readWebBody(request: Request, limit: number, signal?: AbortSignal): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  // The core stopped waiting (the time budget): cancelling makes the pending read settle.
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await readChunks(reader, limit);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

async function readChunks(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<Buffer | null> {
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
    readBody: (limit, signal) => readWebBody(request, limit, signal),
  };
}

function toWebResponse(res: IngestResponse): Response {
  return new Response(res.status === 204 ? null : res.body, { status: res.status, headers: res.headers });
}

export async function ingestWebRequest(request: Request, door: Door = "next"): Promise<Response> {
  return toWebResponse(await ingest(toIngestRequest(request), door));
}
