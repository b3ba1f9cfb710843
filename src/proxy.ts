// Next.js proxy (the former middleware): every page gets its Content Security Policy with a fresh
// nonce (src/lib/csp.ts). Next.js reads the nonce from the request's policy and puts it on the
// scripts it renders, so pages are rendered per request (the root layout is dynamic). API routes,
// static files and prefetches are not pages: next.config.mjs gives them their headers.
import { NextResponse, type NextRequest } from "next/server";
import { loadEnv } from "~/env";
import { contentSecurityPolicy } from "~/lib/csp";

export function proxy(request: NextRequest) {
  const env = loadEnv();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy({
    nonce,
    pathname: request.nextUrl.pathname,
    dev: env.NODE_ENV === "development",
    https: env.NEXTAUTH_URL?.startsWith("https:") ?? false,
    playbackOrigins: env.PLAYBACK_ORIGINS,
    apiOrigin: env.NEXT_PUBLIC_API_URL ? new URL(env.NEXT_PUBLIC_API_URL).origin : null,
    embedOrigins: env.EMBED_ORIGINS,
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|demo/|streamscope\\.m?js$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
