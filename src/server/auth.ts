// next-auth (v4): a credentials login against `users` (scrypt hashes, off the main thread: see
// src/lib/password.ts; sign-in attempts throttled per address and per e-mail: loginThrottle.ts),
// JWT sessions that carry the user's id and role. Pages and tRPC read the session through
// getServerAuthSession().
import "server-only";
import { getServerSession, type DefaultSession, type NextAuthOptions } from "next-auth";
import CredentialsProviderModule from "next-auth/providers/credentials";
import { forbidden, redirect } from "next/navigation";
import { z } from "zod";
import { env } from "~/env";
import { db } from "~/lib/db/prisma";
import { log } from "~/lib/log";
import { dummyHash, hashPassword, verifyPassword } from "~/lib/password";
import { safeCallbackPath } from "~/lib/safeCallback";
import { loginAddress, loginThrottle, normalizeEmail } from "~/server/loginThrottle";
import type { UserRole } from "~/generated/prisma/enums";

// next-auth ships CommonJS: bundlers unwrap its default export, plain Node (tsx scripts) does not.
const CredentialsProvider =
  (CredentialsProviderModule as unknown as { default?: typeof CredentialsProviderModule }).default ?? CredentialsProviderModule;

declare module "next-auth" {
  interface Session extends DefaultSession {
    user: { id: string; role: UserRole } & DefaultSession["user"];
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    id?: string;
    role?: UserRole;
    /** When the role was last read from the database (ms). */
    roleCheckedAt?: number;
  }
}

/** A signed-in user as the app sees it (the tRPC context and the page guards). */
export interface AuthSession {
  user: { id: string; role: UserRole; email?: string | null; name?: string | null };
  expires: string;
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(1024),
});

// A role change (demoting an admin) reaches existing sessions within this time.
const ROLE_RECHECK_MS = 5 * 60_000;

/** The user for an email and password, or null. */
export async function verifyCredentials(email: unknown, password: unknown) {
  const parsed = credentialsSchema.safeParse({ email, password });
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  // An unknown e-mail is checked against a dummy hash of the same cost, so the answer takes as
  // long as for a wrong password and does not tell which e-mails have an account.
  const verdict = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyHash()));
  if (!user?.passwordHash || !verdict.ok) return null;
  if (verdict.needsRehash) {
    // A hash from before (bcrypt, or weaker settings): stored again in today's format.
    const passwordHash = await hashPassword(parsed.data.password);
    await db.user
      .updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, "login: re-hashing a password failed"));
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  // next-auth's own error page would be its HTML under /api (no page policy there): ours instead.
  pages: { signIn: "/login", error: "/login" },
  secret: env.NEXTAUTH_SECRET,
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const user = await verifyCredentials(credentials?.email, credentials?.password);
        if (user) {
          // Counted when it arrived (the route's throttle); a sign-in that succeeds costs nothing.
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          await loginThrottle().succeeded(loginAddress((name) => headers[name]), normalizeEmail(credentials?.email));
        }
        return user;
      },
    }),
  ],
  callbacks: {
    // Only back to a path of this app (src/lib/safeCallback.ts), whatever callbackUrl said.
    redirect({ url, baseUrl }) {
      const base = new URL(baseUrl);
      let path = url;
      try {
        const parsed = new URL(url);
        if (parsed.origin !== base.origin) return baseUrl;
        path = parsed.pathname + parsed.search + parsed.hash;
      } catch {
        // Not absolute: a path, checked below.
      }
      return new URL(safeCallbackPath(path, "/"), base).toString();
    },
    async jwt({ token, user }) {
      if (user) {
        token.id = user.id;
        token.role = (user as { role?: UserRole }).role ?? "user";
        token.roleCheckedAt = Date.now();
      } else if (token.id && Date.now() - (token.roleCheckedAt ?? 0) > ROLE_RECHECK_MS) {
        const current = await db.user.findUnique({ where: { id: token.id }, select: { role: true } });
        // A deleted user keeps a valid cookie but no identity: every guard then treats it as signed out.
        token.id = current ? token.id : undefined;
        token.role = current?.role;
        token.roleCheckedAt = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (token.id && token.role) {
        session.user = { ...session.user, id: token.id, role: token.role };
      }
      return session;
    },
  },
};

/** The current session, or null when signed out (or the token lost its user). */
export async function getServerAuthSession(): Promise<AuthSession | null> {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id || !session.user.role) return null;
  return session as AuthSession;
}

/**
 * Guard for admin pages: signed out → the login page (coming back to `path` afterwards);
 * signed in without the admin role → 403 (forbidden.tsx).
 */
export async function requireAdminPage(path: string): Promise<AuthSession> {
  const session = await getServerAuthSession();
  if (!session) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  if (session.user.role !== "admin") forbidden();
  return session;
}
