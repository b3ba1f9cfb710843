// Unit: which address the core uses for the rate limit and GeoIP, per door and proxy setting
// (the rules themselves: src/lib/clientAddress.test.ts; through both doors: clientAddressDoors.test.ts).
import { describe, expect, it } from "vitest";
import { SOCKET_ONLY } from "~/lib/clientAddress";
import { requestAddress, type IngestRequest } from "./handler";

const req = (socketAddress: string | null, xff?: string, realIp?: string): IngestRequest => ({
  method: "POST",
  header: (n) => (n === "x-forwarded-for" ? xff : n === "x-real-ip" ? realIp : undefined),
  socketAddress,
  readBody: async () => Buffer.alloc(0),
});
const oneProxy = { client: { ...SOCKET_ONLY, trustProxy: { hops: 1 } } };

describe("requestAddress", () => {
  it("fast door: the socket's address, X-Forwarded-For ignored unless a proxy is trusted", () => {
    expect(requestAddress(req("10.0.0.5", "203.0.113.9"), {})).toBe("10.0.0.5");
    // One trusted proxy: the hop it appended (the right-most), not what the client wrote before it.
    expect(requestAddress(req("10.0.0.5", "203.0.113.9, 198.51.100.4"), oneProxy)).toBe("198.51.100.4");
    expect(requestAddress(req("::ffff:198.51.100.4"), {})).toBe("198.51.100.4");
  });

  it("Next door: the peer npm start's server handed over, else the last hop; the platform's address on Vercel", () => {
    expect(requestAddress(req("127.0.0.1", "1.2.3.4"), {})).toBe("127.0.0.1");
    // Outside npm start's server: next start sets X-Forwarded-For to the socket's address when the client sent none.
    expect(requestAddress(req(null, "198.51.100.7"), {})).toBe("198.51.100.7");
    expect(requestAddress(req(null, "1.2.3.4, 198.51.100.7"), {})).toBe("198.51.100.7");
    expect(requestAddress(req(null, "203.0.113.9, 10.0.0.1", "203.0.113.9"), { client: { ...SOCKET_ONLY, vercel: true } })).toBe("203.0.113.9");
    expect(requestAddress(req(null), {})).toBeNull();
  });
});
