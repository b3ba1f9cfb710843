// TRUST_PROXY's value (src/env.ts validates it at start-up; src/lib/clientAddress.ts applies it).
import proxyaddr from "proxy-addr";

export type TrustProxy = { hops: number } | { ranges: string[] };

const MAX_HOPS = 20;

/**
 * TRUST_PROXY's value: unset/0/false → no proxy; a number → that many proxies; `true` → 1;
 * otherwise a comma-separated list of addresses, CIDR ranges or the names `loopback`,
 * `linklocal`, `uniquelocal`. Throws with a message for anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? "").trim();
  if (v === "" || v === "0" || v === "false") return { hops: 0 };
  if (v === "true") return { hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_HOPS) throw new Error(`at most ${MAX_HOPS} proxies`);
    return { hops };
  }
  const ranges = v.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(ranges);
  } catch (err) {
    throw new Error(`a number of proxies, or addresses / CIDR ranges separated by commas (${(err as Error).message})`);
  }
  return { ranges };
}
