// The ingest benchmark's load generator: N keep-alive HTTP/1.1 connections over `net`, one
// request in flight on each, every request built fresh (its own viewer, body and headers).
// Why not autocannon: on this 2-core machine the load generator shares the cores it measures, and
// autocannon spent 100–160 µs of CPU per request — more than the bare node:http server it was
// loading. Writing each request as one string and reading only the status line, Content-Length
// (or chunked framing) and the body costs a fraction of that, so the figures say more about the
// server than about the client.
import net from "node:net";

export interface LoadRequest<C = unknown> {
  body: string;
  headers: Record<string, string>;
  /** Handed back to onResponse with the answer. */
  context: C;
}

export interface LoadOptions<C> {
  url: string;
  path: string;
  connections: number;
  /** Send exactly this many requests (every one is answered or counted as an error)… */
  amount?: number;
  /** …or keep sending for this long. */
  seconds?: number;
  timeoutMs?: number;
  next(): LoadRequest<C>;
  onResponse(status: number, body: string, context: C): void;
}

export interface LoadResult {
  /** Responses by class. */
  ok2xx: number;
  other: number;
  errors: number;
  timeouts: number;
  /** Milliseconds, sorted ascending. */
  latencies: Float64Array;
  seconds: number;
}

export function percentileOf(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function runLoad<C>(opts: LoadOptions<C>): Promise<LoadResult> {
  const target = new URL(opts.url);
  const port = Number(target.port || 80);
  const host = target.hostname;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const started = performance.now();
  const deadline = opts.seconds ? started + opts.seconds * 1000 : Infinity;
  const latencies: number[] = [];
  const result = { ok2xx: 0, other: 0, errors: 0, timeouts: 0 };
  let issued = 0;
  const more = () => (opts.amount ? issued < opts.amount : performance.now() < deadline);

  return new Promise((resolve) => {
    let open = 0;
    const finished = () => {
      if (--open > 0) return;
      latencies.sort((a, b) => a - b);
      resolve({ ...result, latencies: Float64Array.from(latencies), seconds: (performance.now() - started) / 1000 });
    };

    const connection = () => {
      open++;
      let socket: net.Socket;
      let pending: { context: C; t0: number } | null = null;
      let buf = "";

      const send = () => {
        if (!more()) {
          socket.end();
          return;
        }
        issued++;
        const r = opts.next();
        let head = `POST ${opts.path} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-length: ${Buffer.byteLength(r.body)}\r\n`;
        for (const k in r.headers) head += `${k}: ${r.headers[k]}\r\n`;
        pending = { context: r.context, t0: performance.now() };
        socket.write(`${head}\r\n${r.body}`);
      };

      // One whole response at the start of buf: [status, body, bytes used, close?], or null.
      const parse = (): [number, string, number, boolean] | null => {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return null;
        const head = buf.slice(0, end).toLowerCase();
        const status = Number(head.slice(9, 12));
        const close = /\r\nconnection: *close/.test(head);
        const cl = /\r\ncontent-length: *(\d+)/.exec(head);
        if (cl) {
          const len = Number(cl[1]);
          // Bodies here are ASCII JSON: string length = byte length.
          if (buf.length < end + 4 + len) return null;
          return [status, buf.slice(end + 4, end + 4 + len), end + 4 + len, close];
        }
        if (/\r\ntransfer-encoding: *chunked/.test(head)) {
          let at = end + 4;
          let body = "";
          for (;;) {
            const nl = buf.indexOf("\r\n", at);
            if (nl < 0) return null;
            const size = parseInt(buf.slice(at, nl), 16);
            if (buf.length < nl + 2 + size + 2) return null;
            if (size === 0) return [status, body, nl + 4, close];
            body += buf.slice(nl + 2, nl + 2 + size);
            at = nl + 2 + size + 2;
          }
        }
        return [status, "", end + 4, close];
      };

      const connect = () => {
        buf = "";
        pending = null;
        let failed = false;
        socket = net.connect(port, host);
        socket.setNoDelay(true);
        socket.setEncoding("latin1");
        socket.setTimeout(timeoutMs);
        socket.on("connect", send);
        socket.on("data", (chunk: string) => {
          buf += chunk;
          const r = parse();
          if (!r || !pending) return;
          const [status, body, used, close] = r;
          latencies.push(performance.now() - pending.t0);
          if (status >= 200 && status < 300) result.ok2xx++;
          else result.other++;
          opts.onResponse(status, body, pending.context);
          pending = null;
          buf = buf.slice(used);
          // The server closes after this answer: "close" below opens a new connection.
          if (close) socket.destroy();
          else send();
        });
        socket.on("timeout", () => {
          result.timeouts++;
          pending = null;
          socket.destroy();
        });
        socket.on("error", () => (failed = true));
        socket.on("close", () => {
          if (pending) result.errors++;
          else if (failed && more()) {
            // Could not connect: counts as a request that failed, so a fixed amount still ends.
            issued++;
            result.errors++;
          }
          if (more()) connect();
          else finished();
        });
      };
      connect();
    };
    for (let i = 0; i < opts.connections; i++) connection();
  });
}
