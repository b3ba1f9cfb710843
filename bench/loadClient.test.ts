// The benchmark's own HTTP client must count what a server answers exactly, however it frames it:
// Content-Length, chunked, or closing the connection after the answer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { percentileOf, runLoad } from "./loadClient";

let server: http.Server;
let url = "";
const seen: { body: string; ua: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      seen.push({ body, ua: req.headers["user-agent"] });
      const n = JSON.parse(body) as { n: number };
      const answer = JSON.stringify({ echo: n.n });
      if (n.n % 3 === 0) {
        // chunked: no Content-Length
        res.writeHead(202, { "content-type": "application/json" });
        res.write(answer.slice(0, 5));
        res.end(answer.slice(5));
      } else if (n.n % 3 === 1) {
        res.writeHead(n.n % 2 ? 202 : 429, { "content-type": "application/json", "content-length": String(answer.length) });
        res.end(answer);
      } else {
        res.writeHead(202, { "content-type": "application/json", "content-length": String(answer.length), connection: "close" });
        res.end(answer);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("runLoad", () => {
  it("sends exactly the amount asked and reads every answer, whatever its framing", async () => {
    seen.length = 0;
    let next = 0;
    const echoes: number[] = [];
    const statuses = new Map<number, number>();
    const result = await runLoad<number>({
      url,
      path: "/x",
      connections: 4,
      amount: 60,
      next: () => {
        const n = next++;
        return { body: JSON.stringify({ n }), headers: { "user-agent": `ua-${n}`, "content-type": "application/json" }, context: n };
      },
      onResponse: (status, body, n) => {
        expect((JSON.parse(body) as { echo: number }).echo).toBe(n);
        echoes.push(n);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      },
    });
    expect(seen).toHaveLength(60);
    expect(seen.every((s) => s.ua === `ua-${(JSON.parse(s.body) as { n: number }).n}`)).toBe(true);
    expect(echoes.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // n % 3 === 1 and even n answer 429: 10 of the 60.
    expect(statuses.get(429)).toBe(10);
    expect(result.ok2xx).toBe(50);
    expect(result.other).toBe(10);
    expect(result.errors + result.timeouts).toBe(0);
    expect(result.latencies).toHaveLength(60);
    expect(percentileOf(result.latencies, 50)).toBeLessThanOrEqual(percentileOf(result.latencies, 99));
  });

  it("counts a server that is not there as errors and still ends", async () => {
    const result = await runLoad({
      url: "http://127.0.0.1:1",
      path: "/x",
      connections: 2,
      amount: 5,
      next: () => ({ body: "{}", headers: {}, context: null }),
      onResponse: () => {},
    });
    expect(result.ok2xx).toBe(0);
    expect(result.errors).toBe(5);
  });
});
