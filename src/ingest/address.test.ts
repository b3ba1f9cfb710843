// Unit: which address the core uses for the rate limit and GeoIP, per door and proxy setting.
import { describe, expect, it } from "vitest";
import { requestAddress, type IngestRequest } from "./handler";

const req = (socketAddress: string | null, xff?: string): IngestRequest => ({
  method: "POST",
  header: (n) => (n === "x-forwarded-for" ? xff : undefined),
  socketAddress,
  readBody: async () => Buffer.alloc(0),
});
const plain = { trustProxy: false, platformProxy: false };

describe("requestAddress", () => {
  it("fast door: the socket's address, X-Forwarded-For ignored unless the proxy is trusted", () => {
    expect(requestAddress(req("10.0.0.5", "203.0.113.9"), plain)).toBe("10.0.0.5");
    expect(requestAddress(req("10.0.0.5", "203.0.113.9, 10.0.0.1"), { ...plain, trustProxy: true })).toBe("203.0.113.9");
    expect(requestAddress(req("::ffff:198.51.100.4"), plain)).toBe("198.51.100.4");
  });

  it("Next door (no socket): the nearest hop, or the first one behind Vercel or a trusted proxy", () => {
    // next start sets X-Forwarded-For to the socket's address when the client sent none.
    expect(requestAddress(req(null, "198.51.100.7"), plain)).toBe("198.51.100.7");
    // A client-supplied header is not trusted: the last hop is the one nearest to us.
    expect(requestAddress(req(null, "1.2.3.4, 198.51.100.7"), plain)).toBe("198.51.100.7");
    expect(requestAddress(req(null, "203.0.113.9, 10.0.0.1"), { ...plain, platformProxy: true })).toBe("203.0.113.9");
    expect(requestAddress(req(null), plain)).toBeNull();
  });
});
