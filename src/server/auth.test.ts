import bcrypt from "bcryptjs";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db/prisma";
import { uid } from "~/test/factories";
import { authOptions, verifyCredentials } from "./auth";

async function createUser(role: "admin" | "user", password = "correct horse battery") {
  const email = `${uid("user")}@example.test`;
  const user = await db.user.create({ data: { email, role, passwordHash: await bcrypt.hash(password, 4) } });
  return { ...user, password };
}

describe("verifyCredentials", () => {
  it("accepts the right password, case-insensitively for the email, and returns the role", async () => {
    const u = await createUser("admin");
    await expect(verifyCredentials(u.email.toUpperCase(), u.password)).resolves.toEqual({ id: u.id, email: u.email, name: null, role: "admin" });
  });

  it("refuses a wrong password, an unknown email, a user without a password and malformed input", async () => {
    const u = await createUser("user");
    await expect(verifyCredentials(u.email, "wrong")).resolves.toBeNull();
    await expect(verifyCredentials(`nobody-${uid()}@example.test`, u.password)).resolves.toBeNull();
    const noPassword = await db.user.create({ data: { email: `${uid("np")}@example.test` } });
    await expect(verifyCredentials(noPassword.email, "")).resolves.toBeNull();
    await expect(verifyCredentials(noPassword.email, "anything")).resolves.toBeNull();
    await expect(verifyCredentials("not-an-email", u.password)).resolves.toBeNull();
    await expect(verifyCredentials(undefined, undefined)).resolves.toBeNull();
  });
});

describe("JWT session callbacks", () => {
  const jwt = authOptions.callbacks!.jwt!;
  const session = authOptions.callbacks!.session!;

  it("puts id and role into the token at sign-in and into the session", async () => {
    const token = await jwt({ token: {} as JWT, user: { id: "u1", email: "a@b", role: "admin" } as never, account: null, trigger: "signIn" });
    expect(token).toMatchObject({ id: "u1", role: "admin" });
    const s = await session({ session: { user: { email: "a@b" }, expires: "x" } as never, token, user: undefined as never, newSession: undefined, trigger: "update" });
    expect(s.user).toMatchObject({ id: "u1", role: "admin", email: "a@b" });
  });

  it("re-reads the role after a while, so a demoted admin loses access and a deleted user is signed out", async () => {
    const u = await createUser("admin");
    const stale = { id: u.id, role: "admin" as const, roleCheckedAt: Date.now() - 10 * 60_000 };
    await db.user.update({ where: { id: u.id }, data: { role: "user" } });
    const token = await jwt({ token: { ...stale }, user: undefined as never, account: null });
    expect(token.role).toBe("user");
    await db.user.delete({ where: { id: u.id } });
    const gone = await jwt({ token: { ...stale }, user: undefined as never, account: null });
    expect(gone.id).toBeUndefined();
    const s = await session({ session: { user: {}, expires: "x" } as never, token: gone, user: undefined as never, newSession: undefined, trigger: "update" });
    expect((s.user as { id?: string }).id).toBeUndefined();
  });
});
