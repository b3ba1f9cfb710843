// Test helper: the two doors of POST /api/analytics/events, driven the way a browser would.
//  - "next": the Next.js route module's POST, called with a Web Request (from 127.0.0.1, as
//    npm start's server hands the peer over);
//  - "fast": a node:http server on port 0 running the fast route, called over TCP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { runWithPeerAddress } from "~/lib/clientAddress";
import { ingestNodeRoute } from "./node";

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
}

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

export async function nextDoor(): Promise<TestDoor> {
  const route = await import("~/app/api/analytics/events/route");
  return {
    name: "next",
    async send(r) {
      const headers = new Headers(r.headers);
      if (r.contentType !== null) headers.set("content-type", r.contentType ?? "text/plain;charset=UTF-8");
      const request = new Request("http://localhost/api/analytics/events", {
        method: r.method ?? "POST",
        headers,
        body: r.method === "OPTIONS" ? undefined : new Uint8Array(Buffer.from(r.body)),
      });
      // As npm start's server runs Next: the TCP peer (here, loopback) handed over with the request.
      const res = await runWithPeerAddress("127.0.0.1", () => (r.method === "OPTIONS" ? route.OPTIONS(request) : route.POST(request)));
      const h: Record<string, string> = {};
      res.headers.forEach((v, k) => (h[k] = v));
      return answer(res.status, h, await res.text());
    },
    async close() {},
  };
}

export async function fastDoor(): Promise<TestDoor> {
  const server = http.createServer((req, res) => {
    void ingestNodeRoute(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  return {
    name: "fast",
    port,
    send(r) {
      return new Promise<DoorAnswer>((resolve, reject) => {
        const body = Buffer.from(r.body);
        const headers: Record<string, string> = { ...r.headers };
        if (r.contentType !== null) headers["content-type"] = r.contentType ?? "text/plain;charset=UTF-8";
        if (r.method !== "OPTIONS") headers["content-length"] = String(body.length);
        const req = http.request(
          { host: "127.0.0.1", port, path: "/api/analytics/events", method: r.method ?? "POST", headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const h: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(", ") : v;
              resolve(answer(res.statusCode ?? 0, h, Buffer.concat(chunks).toString("utf8")));
            });
          },
        );
        req.on("error", reject);
        req.end(r.method === "OPTIONS" ? undefined : body);
      });
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
