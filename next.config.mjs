/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-side packages that must stay plain Node modules (native/wasm/data files).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "geoip-country", "pino", "prom-client", "ioredis", "@clickhouse/client"],
  typedRoutes: false,
  // forbidden() answers 403 to signed-in users without the admin role (src/app/forbidden.tsx).
  experimental: { authInterrupts: true },
};

export default nextConfig;
