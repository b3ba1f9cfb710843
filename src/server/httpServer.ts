// The self-hosted production server: one node:http server in front of Next's request handler.
// Routes on the hot path (ingestion) are answered by their framework-free core directly, which
// costs a fraction of a Next.js route handler; everything else goes to Next.
import http from "node:http";
import next from "next";

export type FastRoute = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface StartedServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
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
  const fastRoutes = opts.fastRoutes ?? [];
  const server = http.createServer(async (req, res) => {
    try {
      for (const route of fastRoutes) {
        if (await route(req, res)) return;
      }
      await handle(req, res);
    } catch {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      } else {
        res.destroy();
      }
    }
  });
  server.keepAliveTimeout = 65_000;
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
