// Child processes of `npm run bench:ingest` for two of its baselines:
//   bare-http   a node:http server that reads the body and parses the JSON, nothing else (the HTTP limit)
//   next-empty  bench/next-empty (one empty Next.js route handler) behind the same node:http front
//               as `npm start` (the framework's limit)
// Prints `listening <url>` once it answers.
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { startHttpServer } from "~/server/httpServer";

const mode = process.argv[2];

if (mode === "bare-http") {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let status = 202;
      let body: string;
      try {
        const batch = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: unknown[] };
        body = JSON.stringify({ ingested: batch.events.length, duplicates: 0 });
      } catch {
        status = 400;
        body = '{"error":"body is not JSON"}';
      }
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
} else if (mode === "next-empty") {
  const started = await startHttpServer({ port: 0, host: "127.0.0.1", dir: path.resolve(import.meta.dirname, "next-empty"), fastRoutes: [] });
  console.log(`listening ${started.url}`);
} else {
  console.error("usage: ingestServers.ts bare-http|next-empty");
  process.exit(2);
}
