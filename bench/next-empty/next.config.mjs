// The framework-limit baseline of `npm run bench:ingest`: a Next.js app with one empty route.
// Built into the main app's .next folder (ignored by git and the linters; `next build` of the
// main app clears it, and the benchmark builds it again when missing).
/** @type {import('next').NextConfig} */
const nextConfig = { poweredByHeader: false, distDir: "../../.next/bench-next-empty" };
export default nextConfig;
