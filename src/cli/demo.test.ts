// The demo's safety: a random admin password kept in .data/ (never a published one), loopback
// unless HOST says otherwise, and `npm run db:seed` refusing a database that has real users.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/testDatabase";
import { checkSeedTarget, DEMO_ADMIN, demoAdminPassword, SeedRefused } from "../../prisma/seed";
import { demoHost } from "./demo";

describe("the demo admin's password", () => {
  it("is random, made once, kept in .data/ readable by the owner only, and the same on the next start", () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), "streamscope-demo-"));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), "streamscope-demo-"));
    try {
      const first = demoAdminPassword(a);
      expect(first.created).toBe(true);
      expect(first.password.length).toBeGreaterThanOrEqual(20);
      expect(first.password).not.toBe("streamscope-demo");
      const file = path.join(a, "demo-admin-password");
      expect(fs.readFileSync(file, "utf8").trim()).toBe(first.password);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      expect(demoAdminPassword(a)).toEqual({ password: first.password, created: false, file });
      expect(demoAdminPassword(b).password).not.toBe(first.password);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
    expect(DEMO_ADMIN).not.toHaveProperty("password");
  });
});

describe("the demo's address", () => {
  it("is loopback unless HOST is set", () => {
    expect(demoHost({})).toBe("127.0.0.1");
    expect(demoHost({ HOST: "" })).toBe("127.0.0.1");
    expect(demoHost({ HOST: "0.0.0.0" })).toBe("0.0.0.0");
  });
});

describe("db:seed on a database with real users", () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase("streamscope_seedguard");
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const addUser = (email: string) =>
    client.query(`INSERT INTO users (id, email, role, updated_at) VALUES ($1, $2, 'admin', now())`, [`u_${email}`, email]);

  it("goes ahead on an empty database or one with only the demo admin, and refuses one with anybody else unless forced", async () => {
    await expect(checkSeedTarget(client, { force: false })).resolves.toBeUndefined();
    await addUser(DEMO_ADMIN.email);
    await expect(checkSeedTarget(client, { force: false })).resolves.toBeUndefined();
    await addUser("real.admin@example.com");
    await expect(checkSeedTarget(client, { force: false })).rejects.toThrow(SeedRefused);
    await expect(checkSeedTarget(client, { force: false })).rejects.toThrow(/1 user besides the demo admin.*--force/s);
    await expect(checkSeedTarget(client, { force: true })).resolves.toBeUndefined();
  });

  it("npm run db:seed stops before touching anything, and says how to go on", async () => {
    const before = await client.query("SELECT id, email, password_hash, role FROM users ORDER BY id");
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        "node_modules/.bin/tsx",
        ["prisma/seed.ts"],
        { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: "production" }, timeout: 120_000 },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/--force/);
    expect((await client.query("SELECT id, email, password_hash, role FROM users ORDER BY id")).rows).toEqual(before.rows);
    expect((await client.query("SELECT count(*)::int AS n FROM streams")).rows[0].n).toBe(0);
  });
});
