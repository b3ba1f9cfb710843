// Unit: the country of a request (the client address: clientAddress.test.ts).
import { describe, expect, it } from "vitest";
import { countryOf } from "./geo";

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe("countryOf", () => {
  it("believes only the header the deployment trusts, upper-cased", () => {
    const h = headers({ "x-vercel-ip-country": "de", "cf-ipcountry": "FR" });
    expect(countryOf(h, "8.8.8.8", "x-vercel-ip-country")).toBe("DE");
    expect(countryOf(h, "8.8.8.8", "cf-ipcountry")).toBe("FR");
    // Nothing trusted: any client can send these headers, so GeoIP decides.
    expect(countryOf(h, "8.8.8.8")).toBe("US");
    expect(countryOf(headers({ "cf-ipcountry": "KP" }), "127.0.0.1")).toBe("ZZ");
  });

  it("ignores Cloudflare's unknown (XX) and Tor (T1) codes and falls back to GeoIP", () => {
    expect(countryOf(headers({ "cf-ipcountry": "XX" }), "8.8.8.8", "cf-ipcountry")).toBe("US");
    expect(countryOf(headers({ "cf-ipcountry": "T1" }), null, "cf-ipcountry")).toBe("ZZ");
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
