// Unit: the client address under each proxy setting (src/lib/clientAddress.ts).
import { describe, expect, it } from "vitest";
import { clientAddress, clientPolicyFromEnv, peerAddress, runWithPeerAddress, SOCKET_ONLY, type ClientPolicy } from "./clientAddress";
import { parseTrustProxy } from "./trustProxy";

const headers = (h: Record<string, string>) => (name: string) => h[name];
const policy = (trust: string, over: Partial<ClientPolicy> = {}): ClientPolicy => ({ ...SOCKET_ONLY, trustProxy: parseTrustProxy(trust), ...over });

describe("parseTrustProxy", () => {
  it("reads hop counts and address lists, and refuses anything else", () => {
    expect(parseTrustProxy(undefined)).toEqual({ hops: 0 });
    expect(parseTrustProxy("")).toEqual({ hops: 0 });
    expect(parseTrustProxy("false")).toEqual({ hops: 0 });
    expect(parseTrustProxy("true")).toEqual({ hops: 1 });
    expect(parseTrustProxy("2")).toEqual({ hops: 2 });
    expect(parseTrustProxy("loopback, 10.0.0.0/8,2001:db8::/32")).toEqual({ ranges: ["loopback", "10.0.0.0/8", "2001:db8::/32"] });
    expect(() => parseTrustProxy("99")).toThrow(/at most/);
    expect(() => parseTrustProxy("yes please")).toThrow(/CIDR/);
    expect(() => parseTrustProxy("10.0.0.0/40")).toThrow(/CIDR/);
  });
});

describe("clientAddress", () => {
  const xff = headers({ "x-forwarded-for": "8.8.8.8, 203.0.113.5, 10.0.0.1", "x-real-ip": "8.8.4.4" });

  it("no proxy: the socket, whatever the headers say", () => {
    expect(clientAddress(xff, "10.0.0.9", SOCKET_ONLY)).toBe("10.0.0.9");
  });

  it("N proxies: the Nth hop from the right, the socket being hop 0", () => {
    expect(clientAddress(xff, "10.0.0.9", policy("1"))).toBe("10.0.0.1");
    expect(clientAddress(xff, "10.0.0.9", policy("2"))).toBe("203.0.113.5");
    expect(clientAddress(xff, "10.0.0.9", policy("3"))).toBe("8.8.8.8");
    // More proxies configured than hops: the left-most hop.
    expect(clientAddress(xff, "10.0.0.9", policy("9"))).toBe("8.8.8.8");
    // No header at all: the socket.
    expect(clientAddress(headers({}), "10.0.0.9", policy("1"))).toBe("10.0.0.9");
  });

  it("trusted ranges: skips trusted hops from the right, stops at the first other one", () => {
    expect(clientAddress(xff, "10.0.0.9", policy("10.0.0.0/8"))).toBe("203.0.113.5");
    // The socket itself is not a trusted proxy: it is the client.
    expect(clientAddress(xff, "192.0.2.1", policy("10.0.0.0/8"))).toBe("192.0.2.1");
    expect(clientAddress(headers({ "x-forwarded-for": "2001:db8::1, fd00::7" }), "::1", policy("loopback, uniquelocal"))).toBe("2001:db8::1");
  });

  it("something that is not an address where a proxy should have written one: the socket", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "evil, 203.0.113.5" }), "10.0.0.9", policy("2"))).toBe("10.0.0.9");
  });

  it("unwraps IPv4-mapped IPv6, from the socket and from a hop", () => {
    expect(clientAddress(headers({}), "::ffff:8.8.4.4", SOCKET_ONLY)).toBe("8.8.4.4");
    expect(clientAddress(headers({ "x-forwarded-for": "::ffff:203.0.113.5" }), "10.0.0.9", policy("1"))).toBe("203.0.113.5");
    expect(clientAddress(headers({}), "::1", SOCKET_ONLY)).toBe("::1");
  });

  it("on Vercel: X-Real-IP, else X-Forwarded-For's first hop (its edge overwrites both)", () => {
    const vercel = { ...SOCKET_ONLY, vercel: true };
    expect(clientAddress(xff, null, vercel)).toBe("8.8.4.4");
    expect(clientAddress(headers({ "x-forwarded-for": "8.8.8.8" }), null, vercel)).toBe("8.8.8.8");
    // Not on Vercel, X-Real-IP is just another header a client can send.
    expect(clientAddress(headers({ "x-real-ip": "8.8.4.4" }), "10.0.0.9", SOCKET_ONLY)).toBe("10.0.0.9");
  });

  it("a Web Request without a peer (next start): the last hop stands in for the socket", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "198.51.100.7" }), null, SOCKET_ONLY)).toBe("198.51.100.7");
    expect(clientAddress(headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.7" }), null, SOCKET_ONLY)).toBe("198.51.100.7");
    expect(clientAddress(headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.7" }), null, policy("1"))).toBe("1.2.3.4");
    expect(clientAddress(headers({}), null, SOCKET_ONLY)).toBeNull();
  });
});

describe("the peer handed to the Next.js door", () => {
  it("is known inside runWithPeerAddress, across awaits, and nowhere else", async () => {
    expect(peerAddress()).toBeNull();
    const seen = await runWithPeerAddress("192.0.2.44", async () => {
      await new Promise((r) => setTimeout(r, 1));
      return peerAddress();
    });
    expect(seen).toBe("192.0.2.44");
    expect(peerAddress()).toBeNull();
  });
});

describe("clientPolicyFromEnv", () => {
  it("believes Vercel's country header on Vercel only, unless TRUSTED_GEO_HEADER names one", () => {
    expect(clientPolicyFromEnv({ TRUST_PROXY: { hops: 0 }, VERCEL: false }).countryHeader).toBeNull();
    expect(clientPolicyFromEnv({ TRUST_PROXY: { hops: 0 }, VERCEL: true }).countryHeader).toBe("x-vercel-ip-country");
    expect(clientPolicyFromEnv({ TRUST_PROXY: { hops: 1 }, VERCEL: false, TRUSTED_GEO_HEADER: "cf-ipcountry" }).countryHeader).toBe("cf-ipcountry");
  });
});
