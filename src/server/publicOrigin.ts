// This app's public origin, for what other sites are given (the tracker snippet): NEXTAUTH_URL's
// when set (it must be in production outside Vercel), else the address this request came to.
import "server-only";
import { headers } from "next/headers";
import { env } from "~/env";

export async function publicOrigin(): Promise<string> {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? (env.VERCEL ? "https" : "http");
  return `${proto}://${host}`;
}
