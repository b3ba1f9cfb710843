// npm run token:create, run as a process against the test database: the token alone on stdout
// (so a script can capture it), usable at once; bad options exit 2 naming the option.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db/prisma";
import { uid } from "~/test/factories";
import { authenticateToken } from "~/tokens/tokens";
import { parseTokenArgs } from "./tokenCreate";

function run(args: string[]) {
  const res = spawnSync("node_modules/.bin/tsx", ["src/cli/tokenCreate.ts", ...args], { encoding: "utf8", env: { ...process.env }, timeout: 60_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npm run token:create", () => {
  it("prints only the token on stdout; it authenticates with its scope and organizer", async () => {
    const org = await db.organizer.create({ data: { name: uid("Cli Org"), slug: uid("cli-org") } });
    const name = uid("ci");
    const res = run(["--name", name, "--scope", "read", "--organizer", org.id]);
    expect(res.stderr).toContain(`created read token "${name}"`);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^sst_[A-Za-z0-9_-]{43}\n$/);
    await expect(authenticateToken(res.stdout.trim())).resolves.toMatchObject({ scope: "read", organizerId: org.id });
    const row = await db.apiToken.findFirstOrThrow({ where: { name } });
    expect(row.tokenHash).not.toContain(res.stdout.trim());
  });

  it("refuses bad options naming them (exit 2), an unknown organizer too", () => {
    const bad = run(["--name", "x", "--scope", "admin"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--scope: must be one of read, write");
    expect(bad.stdout).toBe("");
    const org = run(["--name", "x", "--scope", "write", "--organizer", "no-such-org"]);
    expect(org.status).toBe(2);
    expect(org.stderr).toContain('--organizer: No organizer with id "no-such-org".');
  });

  it("parses its arguments", () => {
    expect(parseTokenArgs(["--name", " BI ", "--scope", "write"])).toEqual({ name: "BI", scope: "write" });
    expect(parseTokenArgs(["--help"])).toBeNull();
    expect(() => parseTokenArgs(["--name", "x"])).toThrow(/--scope: must be one of read, write/);
    expect(() => parseTokenArgs(["--bogus"])).toThrow(/Unknown option/);
  });
});
