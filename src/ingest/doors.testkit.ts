// Test helper: the two doors of POST /api/analytics/events, driven the way a browser would.
//  - "next": the Next.js route module's handler for the method, called with a Web Request (from
//    127.0.0.1, as npm start's server hands the peer over);
//  - "fast": npm start's node:http front (src/server/httpServer.ts) on port 0 with its fast routes
//    (src/server/fastRoutes.ts), called over TCP; what the fast routes leave gets a 404 here
//    instead of Next.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { runWithPeerAddress } from "~/lib/clientAddress";
import { fastRoutes } from "~/server/fastRoutes";
import { createFrontServer } from "~/server/httpServer";

export interface DoorAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

export interface DoorRequest {
  body: string | Buffer;
  contentType?: string | null;
  headers?: Record<string, string>;
  method?: string;
  /**
   * Send the body slowly: `parts` pieces of it, `gapMs` apart, and then end it — or, when `stall`,
   * send all pieces but the last and keep the request open. The fast door declares the whole
   * body's length.
   */
  slow?: { parts: number; gapMs: number; stall?: boolean };
}

/** The body cut into `n` pieces. */
function pieces(body: Buffer, n: number): Buffer[] {
  const size = Math.max(1, Math.ceil(body.length / n));
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, i + size));
  return out.length ? out : [Buffer.alloc(0)];
}

/** What a slow sender sends: every piece, or all but the last when it stalls. */
const sent = (ps: Buffer[], stall?: boolean) => (stall ? ps.slice(0, -1) : ps);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TestDoor {
  name: "next" | "fast";
  /** The fast door's TCP port (for raw HTTP tests). */
  port?: number;
  send(req: DoorRequest): Promise<DoorAnswer>;
  close(): Promise<void>;
}

/** Headers both doors must answer identically. */
export const RELEVANT_HEADERS = ["content-type", "cache-control", "access-control-allow-origin", "retry-after", "allow", "access-control-allow-methods"];

function answer(status: number, headers: Record<string, string>, text: string): DoorAnswer {
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status, headers, text, json };
}

const WITHOUT_BODY = new Set(["OPTIONS", "GET", "HEAD"]);

export async function nextDoor(): Promise<TestDoor> {
  const route = (await import("~/app/api/analytics/events/route")) as unknown as Record<string, (r: Request) => Promise<Response>>;
  return {
    name: "next",
    async send(r) {
      const method = r.method ?? "POST";
      const headers = new Headers(r.headers);
      if (r.contentType !== null) headers.set("content-type", r.contentType ?? "text/plain;charset=UTF-8");
      const bytes = Buffer.from(r.body);
      let body: BodyInit | undefined = WITHOUT_BODY.has(method) ? undefined : new Uint8Array(bytes);
      if (r.slow && body) {
        const { parts, gapMs, stall } = r.slow;
        body = new ReadableStream<Uint8Array>({
          async start(controller) {
            for (const p of sent(pieces(bytes, parts), stall)) {
              controller.enqueue(new Uint8Array(p));
              await sleep(gapMs);
            }
            if (!stall) controller.close();
          },
        });
      }
      const request = new Request("http://localhost/api/analytics/events", { method, headers, body, duplex: "half" } as RequestInit);
      // Next answers HEAD with its GET handler; a method the module does not export gets Next's 405.
      const handler = route[method === "HEAD" ? "GET" : method];
      if (!handler) return answer(405, {}, "");
      // As npm start's server runs Next: the TCP peer (here, loopback) handed over with the request.
      const res = await runWithPeerAddress("127.0.0.1", () => handler(request));
      const h: Record<string, string> = {};
      res.headers.forEach((v, k) => (h[k] = v));
      // Next sends no body in answer to HEAD.
      return answer(res.status, h, method === "HEAD" ? "" : await res.text());
    },
    async close() {},
  };
}

export async function fastDoor(): Promise<TestDoor> {
  const server = createFrontServer(fastRoutes(), async (_req, res) => {
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  return {
    name: "fast",
    port,
    send(r) {
      return new Promise<DoorAnswer>((resolve, reject) => {
        const method = r.method ?? "POST";
        const body = Buffer.from(r.body);
        const headers: Record<string, string> = { ...r.headers };
        if (r.contentType !== null) headers["content-type"] = r.contentType ?? "text/plain;charset=UTF-8";
        if (!WITHOUT_BODY.has(method)) headers["content-length"] = String(body.length);
        // A request left open (stall) gets a socket of its own, destroyed once answered.
        const req = http.request(
          { host: "127.0.0.1", port, path: "/api/analytics/events", method, headers, agent: r.slow?.stall ? false : agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const h: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(", ") : v;
              resolve(answer(res.statusCode ?? 0, h, Buffer.concat(chunks).toString("utf8")));
              if (r.slow?.stall) req.destroy();
            });
          },
        );
        req.on("error", reject);
        if (WITHOUT_BODY.has(method)) return void req.end();
        if (!r.slow) return void req.end(body);
        const { parts, gapMs, stall } = r.slow;
        void (async () => {
          for (const p of sent(pieces(body, parts), stall)) {
            if (req.destroyed) return;
            req.write(p);
            await sleep(gapMs);
          }
          if (!stall && !req.destroyed) req.end();
        })();
      });
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
