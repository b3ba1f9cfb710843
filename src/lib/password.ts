// Password hashes: scrypt from node:crypto, computed on libuv's thread pool so a burst of sign-ins
// never blocks the event loop that answers ingestion. Stored as
//   $scrypt$ln=15,r=8,p=3$<salt>$<hash>          (base64, no padding)
// Hashes made before (bcrypt, `$2a$`/`$2b$`/`$2y$`) are still accepted and reported as needing a
// re-hash, which the login does on the next successful sign-in.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import bcrypt from "bcryptjs";

// OWASP's scrypt settings for 32 MiB of memory (N = 2^15, r = 8, p = 3): about 0.3 s per hash here.
export const SCRYPT = { ln: 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, params: { ln: number; r: number; p: number }): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize("NFC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");

export async function hashPassword(password: string, params: { ln: number; r: number; p: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

const SCRYPT_HASH = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$/;

export interface Verdict {
  ok: boolean;
  /** Correct, but stored in an older format or with weaker settings than hashPassword makes now. */
  needsRehash: boolean;
}

/** Checks `password` against a stored hash (scrypt, or bcrypt from before); false for anything unreadable. */
export async function verifyPassword(password: string, stored: string): Promise<Verdict> {
  const m = SCRYPT_HASH.exec(stored);
  if (m) {
    const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    if (params.ln < 1 || params.ln > 20 || params.r < 1 || params.p < 1) return { ok: false, needsRehash: false };
    const expected = Buffer.from(m[5]!, "base64");
    const key = await scrypt(password, Buffer.from(m[4]!, "base64"), params);
    const ok = key.length === expected.length && timingSafeEqual(key, expected);
    const weaker = params.ln < SCRYPT.ln || params.r < SCRYPT.r || params.p < SCRYPT.p;
    return { ok, needsRehash: ok && weaker };
  }
  if (BCRYPT_HASH.test(stored)) {
    const ok = await bcrypt.compare(password, stored);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with today's settings: checking an unknown e-mail's password
 * against it costs what checking a real one costs, so the answer time does not tell which
 * e-mails have an account.
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(18).toString("base64")));
}
