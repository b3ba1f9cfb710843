import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants.js";

/** @type {import('next').NextConfig} */

// Headers for every response (pages get their Content Security Policy from src/proxy.ts, with a
// nonce); API answers are data, never a document to run, frame or sniff.
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];
const noFraming = [{ key: "X-Frame-Options", value: "DENY" }];

const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-side packages that must stay plain Node modules (native/wasm/data files).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "geoip-country", "pino", "prom-client", "ioredis", "@clickhouse/client"],
  typedRoutes: false,
  // forbidden() answers 403 to signed-in users without the admin role (src/app/forbidden.tsx).
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      // The tracker, included by other sites: a module script is fetched with CORS; both may be
      // cached a while (a new version reaches viewers within the hour).
      ...["/streamscope.js", "/streamscope.mjs"].map((source) => ({
        source,
        headers: [
          { key: "Access-Control-Allow-Origin", value: "*" },
          { key: "Cross-Origin-Resource-Policy", value: "cross-origin" },
          { key: "Cache-Control", value: "public, max-age=3600, stale-while-revalidate=86400" },
        ],
      })),
      // Older browsers that do not know frame-ancestors (the stream page stays embeddable).
      { source: "/admin", headers: noFraming },
      { source: "/admin/:path*", headers: noFraming },
      { source: "/login", headers: noFraming },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'" }],
      },
    ];
  },
};

// The tracker's bundles (public/streamscope.js, .mjs; not committed) are made from src/tracker
// whenever Next builds or serves in development. Imported only then: esbuild is a devDependency,
// absent where the production server runs (the Docker image).
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_BUILD || phase === PHASE_DEVELOPMENT_SERVER) {
    const { buildTracker } = await import("./scripts/buildTracker.mjs");
    buildTracker();
  }
  return nextConfig;
}
