// npm run admin:create -- --email someone@example.com [--name "Jo Admin"]
// Creates an admin user (or makes an existing user admin with the new password). The password is
// asked for twice on the terminal without echo; when stdin is not a terminal (a script), its
// first line is the password.
import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { hashPassword, SCRYPT } from "~/lib/password";
import { closePool } from "~/lib/db/pool";
import { db, disconnectPrisma } from "~/lib/db/prisma";

export const MIN_PASSWORD_LENGTH = 10;

const ZAdmin = z.object({
  email: z.string().trim().toLowerCase().email("--email: not an email address"),
  name: z.string().trim().min(1).max(200).optional(),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200, "password: at most 200 characters"),
});

export class AdminInputError extends Error {}

/** Creates or updates the user as an admin with a scrypt hash of the password (src/lib/password.ts). */
export async function createAdmin(
  input: { email: string; password: string; name?: string },
  opts: { hashing?: { ln: number; r: number; p: number } } = {},
) {
  const parsed = ZAdmin.safeParse(input);
  if (!parsed.success) throw new AdminInputError(parsed.error.issues.map((i) => i.message).join("\n"));
  const { email, password, name } = parsed.data;
  const passwordHash = await hashPassword(password, opts.hashing ?? SCRYPT);
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  const user = await db.user.upsert({
    where: { email },
    update: { passwordHash, role: "admin", ...(name ? { name } : {}) },
    create: { email, name: name ?? null, passwordHash, role: "admin" },
    select: { id: true, email: true },
  });
  return { ...user, created: !existing };
}

/** Reads one line; on a terminal without echoing what is typed. */
export function readSecret(prompt: string, input: Readable = process.stdin, output: Writable = process.stdout): Promise<string> {
  const isTty = Boolean((input as { isTTY?: boolean }).isTTY);
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input, output: isTty ? output : undefined, terminal: isTty });
    if (isTty) {
      output.write(prompt);
      // Only the prompt is shown; the typed characters are not echoed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      if (isTty) output.write("\n");
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) reject(new AdminInputError("password: no input (type it, or pipe it on stdin)"));
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, help: { type: "boolean", default: false } },
  });
  if (values.help || !values.email) {
    console.log("usage: npm run admin:create -- --email someone@example.com [--name \"Jo Admin\"]");
    console.log("  asks for the password (twice, not shown); or pipe it: echo \"$PASSWORD\" | npm run admin:create -- --email …");
    process.exit(values.help ? 0 : 2);
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await readSecret(`Password for ${values.email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
    const again = await readSecret("Same password again: ");
    if (again !== password) throw new AdminInputError("password: the two entries differ");
  } else {
    password = await readSecret("");
  }
  const target = await ensureDatabaseUrl();
  try {
    await migrate(target.url);
    const user = await createAdmin({ email: values.email, password, name: values.name });
    console.log(`${user.created ? "created" : "updated"} admin ${user.email} (id ${user.id})`);
  } finally {
    await disconnectPrisma();
    await closePool();
    await target.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err instanceof AdminInputError ? err.message : err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
