// The embedded default: PGlite (PostgreSQL compiled to WASM) served over TCP, so the app, the
// migrations and Prisma Studio all use one ordinary connection string and nothing needs a server.
//
// PGlite is ONE database session. Every client connection is served by it, so this module decides
// who may talk to that session when (a "turn"): a connection gets it with its first message and
// keeps it until the session answers ReadyForQuery 'I' (idle, outside any transaction). So a
// transaction — explicit, or the implicit one of an extended-protocol Parse/Bind/Execute/Sync — is
// never interleaved with another connection's messages, and transaction-scoped state (SET LOCAL,
// pg_advisory_xact_lock, the unnamed statement) belongs to its connection alone. What outlives a
// turn is shared by all connections, as on one PostgreSQL session: named prepared statements,
// plain SET, session advisory locks. The app uses none of them (src/lib/db/embedded.test.ts).
// (@electric-sql/pglite-socket's server interleaves connections message by message outside an
// explicit transaction and stalls for good after a failed message; only its protocol is reused.)
import net from "node:net";
import path from "node:path";
import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";

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
  const dataDir = opts.dataDir.startsWith("memory://") ? opts.dataDir : path.resolve(opts.dataDir);
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir.startsWith("memory://") ? undefined : dataDir);
  const session = new SessionScheduler(db);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (sockets.size > MAX_CONNECTIONS) {
      socket.end(errorResponse("53300", "sorry, too many clients already"), () => socket.destroy());
      return;
    }
    serveConnection(socket, session);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("embedded database: could not read the port it listens on");
  return {
    url: embeddedUrl(address.port),
    owned: true,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await session.idle();
      await db.close();
    },
  };
}

// Far more than the app's pool (4) plus the jobs CLI and Prisma Studio; a bound on a local port.
const MAX_CONNECTIONS = 64;

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4); // 'S'

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0C${code}\0M${message}\0`, "utf8"), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head[0] = 0x45; // 'E'
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const head = Buffer.alloc(5);
  head[0] = 0x51; // 'Q'
  head.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([head, text]);
}

/** Frames one client connection's bytes into protocol messages and hands them to the session in order. */
function serveConnection(socket: net.Socket, session: SessionScheduler): void {
  socket.setNoDelay(true);
  const conn: Connection = { closed: false, write: (d) => void (socket.writable && socket.write(d)) };
  let buffer: Buffer = Buffer.alloc(0);
  let started = false; // after the startup packet, every message has a type byte
  let chain = Promise.resolve();
  const close = () => {
    if (conn.closed) return;
    conn.closed = true;
    socket.destroy();
    // After its queued messages (or at once when none run): give the session back, clean.
    chain = chain.finally(() => session.disconnect(conn));
  };
  socket.on("data", (data: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const len = buffer.readInt32BE(0);
        if (buffer.length < len) return;
        const code = buffer.readInt32BE(4);
        const packet = buffer.subarray(0, len);
        buffer = buffer.subarray(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write("N"); // no encryption on a local socket; the client goes on in the clear
          continue;
        }
        if (code === CANCEL_REQUEST) return close(); // not supported by PGlite; PostgreSQL also just closes
        started = true;
        const message = new Uint8Array(packet);
        chain = chain.then(() => session.run(conn, message)).catch(close);
        continue;
      }
      if (buffer.length < 5) return;
      const len = 1 + buffer.readInt32BE(1);
      if (buffer.length < len) return;
      const message = new Uint8Array(buffer.subarray(0, len));
      buffer = buffer.subarray(len);
      if (message[0] === TERMINATE) return close();
      chain = chain.then(() => session.run(conn, message)).catch(close);
    }
  });
  socket.on("error", close);
  socket.on("close", close);
}

interface Connection {
  /** Its socket is gone: its remaining messages are dropped, not run. */
  closed: boolean;
  write(data: Uint8Array): void;
}

interface Job {
  conn: Connection;
  run(): Promise<void>;
  done(err?: unknown): void;
}

/** Reads the status of the last ReadyForQuery in a stream of backend messages fed in pieces. */
class ReadyStatusScanner {
  private header = Buffer.alloc(5);
  private headerFill = 0;
  private bodyLeft = 0;
  private type = 0;
  status: number | undefined;

  feed(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.bodyLeft > 0) {
        if (this.type === READY_FOR_QUERY) this.status = data[i];
        const n = Math.min(this.bodyLeft, data.length - i);
        this.bodyLeft -= n;
        i += n;
        continue;
      }
      this.header[this.headerFill++] = data[i++]!;
      if (this.headerFill === 5) {
        this.type = this.header[0]!;
        this.bodyLeft = this.header.readInt32BE(1) - 4;
        this.headerFill = 0;
      }
    }
  }
}

/**
 * Gives PGlite's one session to one connection at a time, per turn (see the top of this file).
 * Messages of other connections wait, in arrival order, until the turn ends.
 */
class SessionScheduler {
  private owner: Connection | undefined;
  private waiting: Job[] = [];
  private pumping: Promise<void> | undefined;
  private busy = false;

  constructor(private readonly db: PGlite) {}

  /** Runs one protocol message of `conn` on the session; its answers go to the connection. */
  run(conn: Connection, message: Uint8Array): Promise<void> {
    return this.enqueue(conn, async () => {
      if (conn.closed) return;
      const scan = new ReadyStatusScanner();
      await this.exec(message, (d) => {
        scan.feed(d);
        conn.write(d);
      });
      if (scan.status === 0x49) this.owner = undefined; // 'I': the turn is over
    });
  }

  /**
   * A connection went away. If it held the session mid-turn, end what it left open: a Sync closes
   * an unfinished extended-protocol exchange, a ROLLBACK its transaction (as PostgreSQL does when a
   * client disconnects), then the session is free.
   */
  disconnect(conn: Connection): Promise<void> {
    this.waiting = this.waiting.filter((j) => j.conn !== conn || (j.done(new Error("connection closed")), false));
    if (this.owner !== conn) return Promise.resolve();
    return this.enqueue(conn, async () => {
      const scan = new ReadyStatusScanner();
      await this.exec(SYNC, (d) => scan.feed(d));
      if (scan.status !== 0x49) await this.exec(queryMessage("ROLLBACK"), () => {});
      this.owner = undefined;
    });
  }

  /** Resolves when nothing is running (before closing the database). */
  async idle(): Promise<void> {
    while (this.busy) await this.pumping;
  }

  private exec(message: Uint8Array, onRawData: (d: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData }));
  }

  private enqueue(conn: Connection, run: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ conn, run, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.busy) this.pumping = this.pump();
    });
  }

  private next(): Job | undefined {
    const i = this.owner ? this.waiting.findIndex((j) => j.conn === this.owner) : 0;
    return i < 0 ? undefined : this.waiting.splice(i, 1)[0];
  }

  private async pump(): Promise<void> {
    // busy is cleared in the same tick the loop finds nothing to run, so no job is ever stranded.
    this.busy = true;
    for (let job = this.next(); job; job = this.next()) {
      this.owner = job.conn;
      try {
        await job.run();
        job.done();
      } catch (err) {
        // PGlite itself failed (not an SQL error: those are answers). The connection is closed by
        // its reader; disconnect() then resets the session.
        job.done(err ?? new Error("embedded database failed"));
      }
    }
    this.busy = false;
  }
}
