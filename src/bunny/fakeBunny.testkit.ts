// A local stand-in for Bunny Stream's statistics API (GET /library/{id}/statistics), started by
// the tests and the end-to-end run and pointed at by BUNNY_API_URL. Answers with answers.testkit.ts's
// deterministic figures; per video GUID a scenario makes it misbehave the way Bunny can.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fakeAnswer } from "./answers.testkit";

export type FakeScenario =
  | "normal"
  /** 429 with Retry-After on the first request for the video, then normal answers. */
  | "rate-limit-once"
  /** 500 on every request. */
  | "server-error"
  /** 503 on the first request, then normal answers. */
  | "server-error-once"
  /** 401 as if the key belonged to another library. */
  | "unauthorized"
  /** 404: Bunny does not know the video. */
  | "not-found"
  /** 200 with a body that is not JSON. */
  | "malformed"
  /** 200 with JSON of the wrong shape. */
  | "wrong-shape";

export interface FakeRequest {
  libraryId: string;
  videoGuid: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  hourly: string | null;
  accessKey: string | null;
  status: number;
}

export interface FakeBunnyServer {
  url: string;
  port: number;
  requests: FakeRequest[];
  setScenario(videoGuid: string, scenario: FakeScenario): void;
  close(): Promise<void>;
}

export interface FakeBunnyOptions {
  apiKey?: string;
  port?: number;
  host?: string;
  /** Retry-After sent with 429 (seconds; default "0" so tests do not wait). */
  retryAfter?: string;
  scenarios?: Record<string, FakeScenario>;
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const start = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  const end = Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return out;
  for (let t = start; t <= end && out.length < 400; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export async function startFakeBunny(opts: FakeBunnyOptions = {}): Promise<FakeBunnyServer> {
  const apiKey = opts.apiKey ?? "test-bunny-key";
  const scenarios = new Map<string, FakeScenario>(Object.entries(opts.scenarios ?? {}));
  const seen = new Map<string, number>();
  const requests: FakeRequest[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake.bunny");
    const m = /^\/library\/([^/]+)\/statistics\/?$/.exec(url.pathname);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(body);
    };
    const record: FakeRequest = {
      libraryId: m ? decodeURIComponent(m[1]!) : "",
      videoGuid: url.searchParams.get("videoGuid"),
      dateFrom: url.searchParams.get("dateFrom"),
      dateTo: url.searchParams.get("dateTo"),
      hourly: url.searchParams.get("hourly"),
      accessKey: (req.headers["accesskey"] as string | undefined) ?? null,
      status: 0,
    };
    const answer = (status: number, body: string, headers?: Record<string, string>) => {
      record.status = status;
      requests.push(record);
      send(status, body, headers);
    };
    if (req.method !== "GET" || !m) return answer(404, JSON.stringify({ Message: "Not found" }));
    if (record.accessKey !== apiKey) return answer(401, JSON.stringify({ Message: "Unauthorized request" }));

    const guid = record.videoGuid ?? "";
    const scenario = scenarios.get(guid) ?? "normal";
    const n = (seen.get(guid) ?? 0) + 1;
    seen.set(guid, n);
    switch (scenario) {
      case "rate-limit-once":
        if (n === 1) return answer(429, JSON.stringify({ Message: "Too many requests" }), { "retry-after": opts.retryAfter ?? "0" });
        break;
      case "server-error":
        return answer(500, JSON.stringify({ Message: "Internal server error" }));
      case "server-error-once":
        if (n === 1) return answer(503, JSON.stringify({ Message: "Service unavailable" }));
        break;
      case "unauthorized":
        return answer(401, JSON.stringify({ Message: "Unauthorized request" }));
      case "not-found":
        return answer(404, JSON.stringify({ Message: "Video not found" }));
      case "malformed":
        return answer(200, '{"viewsChart": {"2026-11-20T00:00:00Z": 12}, "watchTimeChart": <html>upstream');
      case "wrong-shape":
        return answer(200, JSON.stringify({ viewsChart: { yesterday: 3 }, watchTimeChart: {}, engagementScore: 50 }));
      case "normal":
        break;
    }
    const today = new Date().toISOString().slice(0, 10);
    const days = daysBetween(record.dateFrom ?? today, record.dateTo ?? today);
    return answer(200, JSON.stringify(fakeAnswer(guid || `library-${record.libraryId}`, days)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    port,
    requests,
    setScenario(videoGuid, scenario) {
      scenarios.set(videoGuid, scenario);
      seen.delete(videoGuid);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
