// The self-hosted production server: one node:http server in front of Next's request handler.
// Routes on the hot path (ingestion) are answered by their framework-free core directly, which
// costs a fraction of a Next.js route handler; everything else goes to Next.
import http from "node:http";
import next from "next";
import { runWithPeerAddress } from "~/lib/clientAddress";
import { log } from "~/lib/log";

export type FastRoute = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface StartedServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

/** Next's request handler, or anything that answers what the fast routes leave. */
export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * The node:http server in front: each fast route in turn, else `handle` (Next, with the TCP peer
 * handed over). A request whose handler throws is still answered (500, JSON).
 */
export function createFrontServer(fastRoutes: FastRoute[], handle: RequestHandler): http.Server {
  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    // Failing requests are logged (method, path without its query, status, time): never the
    // address, headers or body.
    res.once("finish", () => {
      if (res.statusCode >= 500) {
        log.warn(
          { method: req.method, path: (req.url ?? "").split("?")[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
          "request failed",
        );
      }
    });
    try {
      for (const route of fastRoutes) {
        if (await route(req, res)) return;
      }
      // Next's route handlers get a Web Request without the socket: they read the peer from here.
      await runWithPeerAddress(req.socket.remoteAddress, () => handle(req, res));
    } catch (err) {
      log.error({ method: req.method, path: (req.url ?? "").split("?")[0], err: (err as Error)?.message }, "request threw");
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      } else {
        res.destroy();
      }
    }
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function startHttpServer(opts: {
  port: number;
  host: string;
  dev?: boolean;
  dir?: string;
  fastRoutes?: FastRoute[];
}): Promise<StartedServer> {
  const app = next({ dev: opts.dev ?? false, dir: opts.dir ?? process.cwd(), hostname: opts.host, port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createFrontServer(opts.fastRoutes ?? [], (req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const shownHost = opts.host === "0.0.0.0" || opts.host === "::" ? "localhost" : opts.host;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
