// Door 2: node:http's request and response, for the self-hosted fast path (src/server/fastRoutes.ts).
import type http from "node:http";
import { ingest, type IngestRequest, type IngestResponse } from "./handler";

const INGEST_PATH = "/api/analytics/events";

/**
 * Reads the body, stopping (null) as soon as it passes `limit` bytes; nothing beyond is kept.
 * Rejects when the request breaks off, or when `signal` aborts (the core stopped waiting).
 */
function readNodeBody(req: http.IncomingMessage, limit: number, signal?: AbortSignal): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      signal?.removeEventListener("abort", onAbort);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAborted = () => onError(new Error("request aborted"));
    const onAbort = () => {
      req.pause();
      onError(new Error("stopped reading"));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

function toIngestRequest(req: http.IncomingMessage): IngestRequest {
  return {
    method: req.method ?? "GET",
    header: (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    socketAddress: req.socket.remoteAddress ?? null,
    readBody: (limit, signal) => readNodeBody(req, limit, signal),
  };
}

function sendNodeResponse(res: http.ServerResponse, out: IngestResponse): void {
  const headers: Record<string, string> = { ...out.headers };
  if (out.status !== 204) headers["content-length"] = String(Buffer.byteLength(out.body));
  if (out.closeConnection) headers.connection = "close";
  res.writeHead(out.status, headers);
  res.end(out.status === 204 ? undefined : out.body);
}

/** Answers /api/analytics/events, every method (the core's 405 for the wrong ones); false for other paths (Next answers them). */
export async function ingestNodeRoute(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  if ((q === -1 ? url : url.slice(0, q)) !== INGEST_PATH) return false;
  // The core answers everything, errors included (handleIngest); a write to a socket the client
  // already closed is a no-op.
  sendNodeResponse(res, await ingest(toIngestRequest(req), "fast"));
  return true;
}
