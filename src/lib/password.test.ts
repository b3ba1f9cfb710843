// Unit: password hashes (scrypt now, bcrypt from before).
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { dummyHash, hashPassword, SCRYPT, verifyPassword } from "./password";

const cheap = { ln: 4, r: 8, p: 1 };

describe("hashPassword / verifyPassword", () => {
  it("makes salted scrypt hashes with today's settings and checks them", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(new RegExp(`^\\$scrypt\\$ln=${SCRYPT.ln},r=${SCRYPT.r},p=${SCRYPT.p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`));
    expect(a).not.toBe(b);
    await expect(verifyPassword("correct horse battery", a)).resolves.toEqual({ ok: true, needsRehash: false });
    await expect(verifyPassword("correct horse batter", a)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it("asks for a re-hash of a correct password stored with weaker settings or with bcrypt", async () => {
    await expect(verifyPassword("pw-123456789", await hashPassword("pw-123456789", cheap))).resolves.toEqual({ ok: true, needsRehash: true });
    const legacy = await bcrypt.hash("pw-123456789", 4);
    await expect(verifyPassword("pw-123456789", legacy)).resolves.toEqual({ ok: true, needsRehash: true });
    await expect(verifyPassword("wrong", legacy)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it("treats the same text in another Unicode normalization as the same password", async () => {
    const h = await hashPassword("Caf\u00e9-passw0rd", cheap);
    await expect(verifyPassword("Cafe\u0301-passw0rd", h)).resolves.toMatchObject({ ok: true });
  });

  it("refuses unreadable or absurd stored values", async () => {
    for (const stored of ["", "plain", "$scrypt$ln=99,r=8,p=1$AAAA$AAAA", "$scrypt$ln=15,r=8,p=1$$", "$2b$99$x"]) {
      await expect(verifyPassword("x", stored)).resolves.toEqual({ ok: false, needsRehash: false });
    }
  });

  it("the dummy hash has today's settings", async () => {
    expect(await dummyHash()).toMatch(new RegExp(`^\\$scrypt\\$ln=${SCRYPT.ln},r=${SCRYPT.r},p=${SCRYPT.p}\\$`));
  });
});
