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

export default nextConfig;
