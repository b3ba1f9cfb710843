// Where a request comes from, for the rate limits and the GeoIP country (never stored or logged).
// Only what this deployment's own proxies wrote is believed:
//  - the TCP peer (the socket) is the client, unless TRUST_PROXY says proxies stand in front;
//  - TRUST_PROXY=N: N proxies, each appending the address it saw to X-Forwarded-For, so the
//    client is the Nth hop counted from the right (what a client wrote itself stays on the left);
//  - TRUST_PROXY=<addresses/CIDRs>: hops from the right are skipped while they are trusted proxies;
//  - on Vercel its edge overwrites X-Real-IP / X-Forwarded-For with the address it saw.
// Both doors of the ingestion endpoint and the login use this one function. The Next.js door
// sees a Web Request without the socket: npm start's server (src/server/httpServer.ts) hands the
// peer over through an AsyncLocalStorage, which no client can forge.
import { AsyncLocalStorage } from "node:async_hooks";
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";
import { log } from "~/lib/log";
import type { TrustProxy } from "~/lib/trustProxy";

export type { TrustProxy };

export type HeaderGetter = (name: string) => string | null | undefined;

export interface ClientPolicy {
  trustProxy: TrustProxy;
  /** Running on Vercel: its edge sets X-Real-IP and X-Forwarded-For itself. */
  vercel: boolean;
  /** The one request header believed for the country (lower case), or null: GeoIP only. */
  countryHeader: string | null;
}

/** Nothing in front: the socket's address, GeoIP for the country. */
export const SOCKET_ONLY: ClientPolicy = { trustProxy: { hops: 0 }, vercel: false, countryHeader: null };

export function clientPolicyFromEnv(env: { TRUST_PROXY: TrustProxy; VERCEL: boolean; TRUSTED_GEO_HEADER?: string }): ClientPolicy {
  return {
    trustProxy: env.TRUST_PROXY,
    vercel: env.VERCEL,
    countryHeader: env.TRUSTED_GEO_HEADER ?? (env.VERCEL ? "x-vercel-ip-country" : null),
  };
}

const compiled = new WeakMap<TrustProxy, (addr: string, i: number) => boolean>();
function trustFn(trust: TrustProxy): (addr: string, i: number) => boolean {
  let fn = compiled.get(trust);
  if (!fn) {
    if ("hops" in trust) {
      const hops = trust.hops;
      fn = (_addr, i) => i < hops;
    } else {
      fn = proxyaddr.compile(trust.ranges);
    }
    compiled.set(trust, fn);
  }
  return fn;
}

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4) as IPv4; anything that is not an address → null. */
export function normalizeAddress(value: string | null | undefined): string | null {
  const ip = value?.trim();
  if (!ip) return null;
  const plain = ip.toLowerCase().startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
  return isIP(plain) ? plain : null;
}

let warnedNoPeer = false;

/**
 * The client's address under `policy`. `peer` is the TCP peer (null when the door cannot see it).
 * Null only when nothing at all is known.
 */
export function clientAddress(header: HeaderGetter, peer: string | null | undefined, policy: ClientPolicy): string | null {
  const xff = header("x-forwarded-for") ?? "";
  if (policy.vercel) {
    // Vercel's edge overwrites both with the address it saw; a client cannot set them there.
    const platform = normalizeAddress(header("x-real-ip")) ?? normalizeAddress(xff.split(",")[0]);
    if (platform) return platform;
  }
  const hops = xff.split(",").map((s) => s.trim()).filter(Boolean);
  let socket = peer ?? null;
  if (!socket) {
    // A Web Request outside npm start's server (`next start`, `next dev`): Next put the TCP peer
    // in X-Forwarded-For when the client sent none, so its last hop stands in for the peer. A
    // client that sends its own header can choose this one: run npm start (or Vercel).
    socket = hops.pop() ?? null;
    if (!socket) return null;
    if (!warnedNoPeer) {
      warnedNoPeer = true;
      log.warn("client address: the Next.js door runs without npm start's server; X-Forwarded-For's last hop stands in for the TCP peer");
    }
  }
  const candidate = proxyaddr(
    { headers: { "x-forwarded-for": hops.join(",") }, socket: { remoteAddress: socket } } as unknown as Parameters<typeof proxyaddr>[0],
    trustFn(policy.trustProxy),
  );
  // A trusted proxy always writes an address; anything else there came from the client.
  return normalizeAddress(candidate) ?? normalizeAddress(socket) ?? socket;
}

// ---------------------------------------------------------------- the TCP peer for the Next.js door

// On globalThis: Next bundles its own copy of this module, and npm start's server loads another.
const PEER = Symbol.for("streamscope.peerAddress");
const g = globalThis as unknown as Record<typeof PEER, AsyncLocalStorage<string | null> | undefined>;
const peers: AsyncLocalStorage<string | null> = (g[PEER] ??= new AsyncLocalStorage<string | null>());

/** Runs `fn` (Next's handling of one request) knowing the request's TCP peer. */
export function runWithPeerAddress<T>(address: string | null | undefined, fn: () => T): T {
  return peers.run(address ?? null, fn);
}

/** The TCP peer of the request being handled, when npm start's server handed it over. */
export function peerAddress(): string | null {
  return peers.getStore() ?? null;
}
