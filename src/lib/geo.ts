// Where a viewer is: the one country header the deployment trusts (TRUSTED_GEO_HEADER, or
// Vercel's own on Vercel), else an offline GeoIP lookup of the client address, else `ZZ`.
// geoip-country ships MaxMind's GeoLite2 country data inside the npm package (nothing is
// downloaded; refreshing it: docs/operations.md). The address is only looked up, never stored or logged.
import { createRequire } from "node:module";
import type { HeaderGetter } from "~/lib/clientAddress";

export type { HeaderGetter };

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

/**
 * The country of a request: `trustedHeader` (only when the deployment names one: a client can send
 * any header it likes) and else GeoIP of `ip`.
 */
export function countryOf(headers: HeaderGetter, ip: string | null, trustedHeader: string | null = null): string {
  const fromHeader = trustedHeader ? normalize(headers(trustedHeader)) : null;
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
