// The Content Security Policy of every page (src/proxy.ts sends it with a fresh nonce per response).
// Scripts: only those carrying the nonce (Next.js puts it on its own), and whatever they load
// ('strict-dynamic': chunks, hls.js, YouTube's IFrame API and the widget script it loads). Styles
// may be inline: React renders style attributes, and a nonce cannot cover attributes. hls.js runs
// its demuxer in a blob: worker and feeds the <video> a blob: MediaSource URL; Bunny's CDN
// (*.b-cdn.net) serves the HLS; YouTube's player is an iframe. frame-ancestors: the stream page is
// embedded by organizers (EMBED_ORIGINS, any site by default), the admin area and the login by no
// one, everything else by this app only.

export interface CspOptions {
  nonce: string;
  pathname: string;
  /** `next dev`: React's dev tools need eval, and hot reload a WebSocket. */
  dev: boolean;
  /** The app is served over https (NEXTAUTH_URL): sub-resources are upgraded too. */
  https: boolean;
  /** Where the players may load video from besides this app (HLS playlists and segments). */
  playbackOrigins: string[];
  /** NEXT_PUBLIC_API_URL's origin, when events go to another origin. */
  apiOrigin: string | null;
  /** Who may embed the stream page (`*`: any site). */
  embedOrigins: string[];
}

export const BUNNY_CDN = "https://*.b-cdn.net";
export const YOUTUBE_FRAMES = ["https://www.youtube.com", "https://www.youtube-nocookie.com"];

export function frameAncestors(pathname: string, embedOrigins: string[]): string[] {
  if (pathname === "/streams" || pathname.startsWith("/streams/")) return embedOrigins.length ? embedOrigins : ["*"];
  if (pathname === "/login" || pathname === "/admin" || pathname.startsWith("/admin/") || pathname.startsWith("/login/")) return ["'none'"];
  return ["'self'"];
}

export function contentSecurityPolicy(o: CspOptions): string {
  // A relative playback URL is resolved against NEXT_PUBLIC_API_URL (the app serving the player).
  const playback = [BUNNY_CDN, ...o.playbackOrigins, ...(o.apiOrigin ? [o.apiOrigin] : [])];
  const directives: [string, string[]][] = [
    ["default-src", ["'self'"]],
    ["script-src", ["'self'", `'nonce-${o.nonce}'`, "'strict-dynamic'", ...(o.dev ? ["'unsafe-eval'"] : [])]],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "blob:"]],
    ["font-src", ["'self'", "data:"]],
    ["media-src", ["'self'", "blob:", ...playback]],
    ["connect-src", ["'self'", ...playback, ...(o.dev ? ["ws:", "wss:"] : [])]],
    ["worker-src", ["'self'", "blob:"]],
    ["frame-src", YOUTUBE_FRAMES],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    ["form-action", ["'self'"]],
    ["frame-ancestors", frameAncestors(o.pathname, o.embedOrigins)],
  ];
  const out = directives.map(([name, values]) => `${name} ${[...new Set(values)].join(" ")}`);
  if (o.https) out.push("upgrade-insecure-requests");
  return out.join("; ");
}

/** Origins from a list of URLs or origins separated by spaces or commas; malformed ones throw. */
export function parseOrigins(value: string | undefined): string[] {
  const out: string[] = [];
  for (const item of (value ?? "").split(/[\s,]+/).filter(Boolean)) {
    if (item === "*") {
      out.push("*");
      continue;
    }
    // A wildcard host (https://*.example.com) is a valid CSP source; URL parsing needs a real host.
    const m = /^(https?):\/\/(\*\.)?([a-z0-9.-]+)(:\d+)?\/?$/i.exec(item);
    if (!m) throw new Error(`"${item}" is not an origin (https://host[:port], https://*.host)`);
    out.push(`${m[1]!.toLowerCase()}://${m[2] ?? ""}${m[3]!.toLowerCase()}${m[4] ?? ""}`);
  }
  return out;
}
