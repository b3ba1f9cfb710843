import bcrypt from "bcryptjs";
import type { JWT } from "next-auth/jwt";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db/prisma";
import { uid } from "~/test/factories";
import { createAdmin } from "~/cli/adminCreate";
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

describe("password checks at the login", () => {
  it("known and unknown e-mails answer within 20 % of each other (the dummy hash costs what a real one does)", async () => {
    // An admin as `npm run admin:create` makes one.
    const email = `${uid("timing")}@example.test`;
    await createAdmin({ email, password: "the-real-password-1" });
    const unknown = `nobody-${uid()}@example.test`;
    await verifyCredentials(unknown, "warm-up");
    // Interleaved, so a busy moment of the machine falls on both sides alike; the fastest of each
    // side is its own cost (a busy machine only ever adds time). A machine busy enough to blur even
    // that gets up to three rounds; a real gap (the cheap dummy hash answered 4x faster) fails all.
    const gaps: string[] = [];
    for (let round = 0; round < 3; round++) {
      const known: number[] = [];
      const missing: number[] = [];
      for (let i = 0; i < 9; i++) {
        let t = performance.now();
        await expect(verifyCredentials(email, `wrong-password-${i}`)).resolves.toBeNull();
        known.push(performance.now() - t);
        t = performance.now();
        await expect(verifyCredentials(unknown, `wrong-password-${i}`)).resolves.toBeNull();
        missing.push(performance.now() - t);
      }
      const [k, m] = [Math.min(...known), Math.min(...missing)];
      if (Math.abs(k - m) / Math.max(k, m) < 0.2) return;
      gaps.push(`known ${k.toFixed(0)} ms, unknown ${m.toFixed(0)} ms`);
    }
    expect.fail(`known and unknown e-mails differ by 20 % or more in every round: ${gaps.join("; ")}`);
  });

  it("hashes off the main thread: the event loop stays free while sign-ins are checked", async () => {
    const email = `${uid("elu")}@example.test`;
    await createAdmin({ email, password: "the-real-password-2" });
    const before = performance.eventLoopUtilization();
    await Promise.all([
      verifyCredentials(email, "wrong-1"),
      verifyCredentials(email, "wrong-2"),
      verifyCredentials(`nobody-${uid()}@example.test`, "wrong-3"),
      verifyCredentials(email, "the-real-password-2"),
    ]);
    const { utilization } = performance.eventLoopUtilization(before);
    // A hash on the main thread keeps the loop busy nearly all along (utilization close to 1).
    expect(utilization).toBeLessThan(0.5);
  });

  it("accepts a password stored with bcrypt before, and stores it again as scrypt", async () => {
    const u = await createUser("admin", "an-old-bcrypt-password");
    expect(u.passwordHash).toMatch(/^\$2[aby]\$/);
    await expect(verifyCredentials(u.email, "an-old-bcrypt-password")).resolves.toMatchObject({ id: u.id });
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    await expect(verifyCredentials(u.email, "an-old-bcrypt-password")).resolves.toMatchObject({ id: u.id });
    await expect(verifyCredentials(u.email, "wrong")).resolves.toBeNull();
  });
});
