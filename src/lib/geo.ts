// Where a viewer is: the hosting platform's country header, else an offline GeoIP lookup
// (geoip-country ships its database inside the npm package; nothing is downloaded), else `ZZ`.
// The address is only looked up, never stored or logged.
import { createRequire } from "node:module";

export const UNKNOWN_COUNTRY = "ZZ";

type Lookup = (ip: string) => { country?: string } | null;
let lookup: Lookup | undefined;

// Loaded on first use: the database takes ~20 ms and ~10 MB to load.
function geoLookup(): Lookup {
  if (!lookup) {
    const require = createRequire(import.meta.url);
    lookup = (require("geoip-country") as { lookup: Lookup }).lookup;
  }
  return lookup;
}

const CODE = /^[A-Z]{2}$/;

function normalize(code: string | null | undefined): string | null {
  if (!code) return null;
  const c = code.trim().toUpperCase();
  // XX (Cloudflare: unknown) and T1 (Tor) are not countries.
  if (!CODE.test(c) || c === "XX" || c === "T1") return null;
  return c;
}

export type HeaderGetter = (name: string) => string | null | undefined;

/**
 * The client's address: X-Forwarded-For's first hop when a trusted proxy sets it, else the socket's.
 * An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is returned as IPv4.
 */
export function clientAddress(headers: HeaderGetter, socketAddress: string | null | undefined, trustProxy: boolean): string | null {
  let ip: string | null | undefined = socketAddress;
  if (trustProxy) {
    const xff = headers("x-forwarded-for");
    const first = xff?.split(",")[0]?.trim();
    if (first) ip = first;
  }
  if (!ip) return null;
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

export function countryOf(headers: HeaderGetter, ip: string | null): string {
  const fromHeader = normalize(headers("x-vercel-ip-country")) ?? normalize(headers("cf-ipcountry"));
  if (fromHeader) return fromHeader;
  if (ip) {
    try {
      const hit = normalize(geoLookup()(ip)?.country);
      if (hit) return hit;
    } catch {
      // A malformed address is simply unknown.
    }
  }
  return UNKNOWN_COUNTRY;
}
