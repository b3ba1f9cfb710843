import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Streamscope", template: "%s · Streamscope" },
  description: "Analytics for live video streams: who watched, for how long, and how well it played.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Rendered per request: the Content Security Policy's nonce (src/proxy.ts) differs every time, and
// Next.js can only put it on its scripts while rendering.
export const dynamic = "force-dynamic";

// zod (used in the browser by the admin filters) probes whether eval is allowed by calling
// Function(""); under the Content Security Policy that probe is reported as a violation even
// though zod catches it. Telling zod not to try, before any other script runs, is its documented way.
const ZOD_JITLESS = "globalThis.__zod_globalConfig=Object.assign(globalThis.__zod_globalConfig||{},{jitless:true});";

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The nonce src/proxy.ts put in this response's policy.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en">
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: ZOD_JITLESS }} />
      </head>
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Streamscope
          </Link>
          <nav>
            <Link href="/">Streams</Link>
            <Link href="/admin">Admin</Link>
          </nav>
        </header>
        <main className="container">{children}</main>
      </body>
    </html>
  );
}
