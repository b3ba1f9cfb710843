import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { closePool, getPool } from "./pool";
import { beginSql, rollback, withTransaction } from "./transaction";

const table = `tx_test_${process.pid}`;

beforeAll(async () => {
  await getPool().query(`CREATE TABLE ${table} (n int)`);
});
afterAll(async () => {
  await getPool().query(`DROP TABLE IF EXISTS ${table}`);
  await closePool();
});

const count = async () => (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe("withTransaction", () => {
  it("commits what fn wrote and returns its value", async () => {
    const before = await count();
    const v = await withTransaction(getPool(), async (c) => {
      await c.query(`INSERT INTO ${table} VALUES (1)`);
      return "done";
    });
    expect(v).toBe("done");
    expect(await count()).toBe(before + 1);
  });

  it("rolls back when fn throws, and rethrows", async () => {
    const before = await count();
    await expect(
      withTransaction(getPool(), async (c) => {
        await c.query(`INSERT INTO ${table} VALUES (2)`);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await count()).toBe(before);
  });

  it("rollback(value) ends the transaction and returns value", async () => {
    const before = await count();
    const v = await withTransaction(getPool(), async (c) => {
      await c.query(`INSERT INTO ${table} VALUES (3)`);
      return rollback(42);
    });
    expect(v).toBe(42);
    expect(await count()).toBe(before);
  });

  it("applies isolation, read only and SET LOCAL settings to this transaction only", async () => {
    const seen = await withTransaction(
      getPool(),
      async (c) => {
        const iso = (await c.query("SHOW transaction_isolation")).rows[0].transaction_isolation;
        const ro = (await c.query("SHOW transaction_read_only")).rows[0].transaction_read_only;
        const lt = (await c.query("SHOW lock_timeout")).rows[0].lock_timeout;
        return { iso, ro, lt };
      },
      { isolation: "repeatable read", readOnly: true, settings: { lock_timeout: "1234ms" } },
    );
    expect(seen).toEqual({ iso: "repeatable read", ro: "on", lt: "1234ms" });
    await expect(withTransaction(getPool(), (c) => c.query(`INSERT INTO ${table} VALUES (4)`), { readOnly: true })).rejects.toThrow(/read-only/);
  });

  it("refuses a setting name that is not one", () => {
    expect(() => beginSql({ settings: { "x; DROP TABLE y": 1 } })).toThrow(/not a setting name/);
  });

  it("gives every connection back to the pool, whatever happened", async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    try {
      for (let i = 0; i < 5; i++) {
        await withTransaction(pool, async () => rollback(null));
        await withTransaction(pool, async () => {
          throw new Error("x");
        }).catch(() => {});
        await withTransaction(pool, async (c) => c.query("SELECT 1"));
      }
      expect(pool.totalCount).toBeLessThanOrEqual(2);
      expect(pool.waitingCount).toBe(0);
      expect(pool.idleCount).toBe(pool.totalCount);
    } finally {
      await pool.end();
    }
  });

  it("works on a connected client without releasing it", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await withTransaction(client, (c) => c.query(`INSERT INTO ${table} VALUES (5)`));
      expect((await client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    } finally {
      await client.end();
    }
  });
});
