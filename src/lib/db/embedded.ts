// The embedded default: PGlite (PostgreSQL compiled to WASM) served over TCP, so the app, the
// migrations and Prisma Studio all use one ordinary connection string and nothing needs a server.
import net from "node:net";
import path from "node:path";
import fs from "node:fs";

export interface EmbeddedDatabase {
  url: string;
  /** true when this process started the server; false when it joined one already running. */
  owned: boolean;
  stop(): Promise<void>;
}

function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/**
 * Starts PGlite on `dataDir` (a folder that survives restarts; `memory://` for throw-away test
 * databases) and serves it on 127.0.0.1:`port` (0: any free port). The app's defaults are
 * EMBEDDED_DB_DIR's and EMBEDDED_DB_PORT's (src/env.ts). When the port already answers (the app is running
 * and owns the folder), joins that server instead: PGlite cannot open one folder twice.
 */
export async function startEmbeddedDatabase(opts: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  const port = opts.port;
  if (port !== 0 && (await portAnswers(port))) {
    return { url: embeddedUrl(port), owned: false, stop: async () => {} };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const dataDir = opts.dataDir.startsWith("memory://") ? opts.dataDir : path.resolve(opts.dataDir);
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir.startsWith("memory://") ? undefined : dataDir);
  // The socket server multiplexes several client connections onto the one PGlite instance,
  // keeping a connection's open transaction to itself.
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 16 });
  await server.start();
  const actualPort = port === 0 ? await boundPort(server) : port;
  return {
    url: embeddedUrl(actualPort),
    owned: true,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function boundPort(server: unknown): Promise<number> {
  const s = server as { server?: net.Server; getServerConn?: () => string };
  const address = s.server?.address();
  if (address && typeof address === "object") return address.port;
  const conn = s.getServerConn?.();
  const m = conn?.match(/:(\d+)$/);
  if (m?.[1]) return Number(m[1]);
  throw new Error("embedded database: could not read the port it listens on");
}
