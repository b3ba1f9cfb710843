// Unit: the country of a request and the client address.
import { describe, expect, it } from "vitest";
import { clientAddress, countryOf } from "./geo";

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe("countryOf", () => {
  it("prefers the platform's header (Vercel, then Cloudflare), upper-cased", () => {
    expect(countryOf(headers({ "x-vercel-ip-country": "de", "cf-ipcountry": "FR" }), "8.8.8.8")).toBe("DE");
    expect(countryOf(headers({ "cf-ipcountry": "fr" }), "8.8.8.8")).toBe("FR");
  });

  it("ignores Cloudflare's unknown (XX) and Tor (T1) codes and falls back to GeoIP", () => {
    expect(countryOf(headers({ "cf-ipcountry": "XX" }), "8.8.8.8")).toBe("US");
    expect(countryOf(headers({ "cf-ipcountry": "T1" }), null)).toBe("ZZ");
  });

  it("looks the address up offline (IPv4, IPv6, IPv4-mapped)", () => {
    expect(countryOf(headers({}), "8.8.8.8")).toBe("US");
    expect(countryOf(headers({}), "2a00:1450:4001:80b::200e")).toBe("DE");
  });

  it("is ZZ for private, malformed or missing addresses", () => {
    expect(countryOf(headers({}), "127.0.0.1")).toBe("ZZ");
    expect(countryOf(headers({}), "10.1.2.3")).toBe("ZZ");
    expect(countryOf(headers({}), "not-an-ip")).toBe("ZZ");
    expect(countryOf(headers({}), null)).toBe("ZZ");
  });
});

describe("clientAddress", () => {
  it("uses the socket unless a proxy is trusted", () => {
    const h = headers({ "x-forwarded-for": "8.8.8.8, 10.0.0.1" });
    expect(clientAddress(h, "10.0.0.1", false)).toBe("10.0.0.1");
    expect(clientAddress(h, "10.0.0.1", true)).toBe("8.8.8.8");
    expect(clientAddress(headers({}), "10.0.0.1", true)).toBe("10.0.0.1");
  });

  it("unwraps IPv4-mapped IPv6", () => {
    expect(clientAddress(headers({}), "::ffff:8.8.4.4", false)).toBe("8.8.4.4");
    expect(clientAddress(headers({}), "::1", false)).toBe("::1");
  });
});
