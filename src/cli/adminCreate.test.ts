import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db/prisma";
import { verifyPassword } from "~/lib/password";
import { uid } from "~/test/factories";
import { verifyCredentials } from "~/server/auth";
import { AdminInputError, createAdmin, readSecret } from "./adminCreate";

// The CLI hashes with today's scrypt settings; the test checks the same code path with cheap ones.
const fast = { hashing: { ln: 4, r: 8, p: 1 } };

describe("createAdmin", () => {
  it("creates an admin who can sign in, and re-running updates password and role", async () => {
    const email = `${uid("adm")}@Example.test`;
    const first = await createAdmin({ email, password: "first-password-123", name: "Jo" }, fast);
    expect(first.created).toBe(true);
    const row = await db.user.findUniqueOrThrow({ where: { id: first.id } });
    expect(row).toMatchObject({ email: email.toLowerCase(), role: "admin", name: "Jo" });
    expect(row.passwordHash).toMatch(/^\$scrypt\$/);
    expect((await verifyPassword("first-password-123", row.passwordHash!)).ok).toBe(true);
    await expect(verifyCredentials(email, "first-password-123")).resolves.toMatchObject({ role: "admin" });

    await db.user.update({ where: { id: first.id }, data: { role: "user" } });
    const second = await createAdmin({ email, password: "second-password-456" }, fast);
    expect(second).toMatchObject({ id: first.id, created: false });
    await expect(verifyCredentials(email, "first-password-123")).resolves.toBeNull();
    await expect(verifyCredentials(email, "second-password-456")).resolves.toMatchObject({ role: "admin", name: "Jo" });
  });

  it("refuses a bad email or a short password, naming it", async () => {
    await expect(createAdmin({ email: "nope", password: "long-enough-password" })).rejects.toThrow(/--email/);
    await expect(createAdmin({ email: `${uid("a")}@x.test`, password: "short" })).rejects.toThrow(AdminInputError);
    await expect(createAdmin({ email: `${uid("a")}@x.test`, password: "short" })).rejects.toThrow(/at least 10 characters/);
  });
});

describe("readSecret", () => {
  it("reads the first line of piped input", async () => {
    const input = new PassThrough();
    const p = readSecret("", input);
    input.end("piped-password\nignored\n");
    await expect(p).resolves.toBe("piped-password");
  });

  it("refuses empty input", async () => {
    const input = new PassThrough();
    const p = readSecret("", input);
    input.end();
    await expect(p).rejects.toThrow(/no input/);
  });
});
