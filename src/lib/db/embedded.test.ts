// The embedded database serves every connection from ONE PGlite session: a connection's turn runs
// from its first message until the session is idle outside a transaction again, so extended-protocol
// exchanges and transactions of different connections never interleave (src/lib/db/embedded.ts).
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";

let embedded: EmbeddedDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ dataDir: "memory://", port: 0 });
  pool = new pg.Pool({ connectionString: embedded.url, max: 6 });
  await pool.query("CREATE TABLE turns (n int)");
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: embedded.url });
  await c.connect();
  return c;
}

describe("the embedded database's connections", () => {
  it("parameterized queries of many connections at once each get their own statement's answer", async () => {
    // Each shape has its own unnamed statement (Parse/Bind/Execute/Sync). A big parameter (an
    // ingestion batch) reaches the server in several TCP reads: served message by message, the
    // Parse ran, another connection's exchange ran in the gap, and the Bind met its statement.
    const big = "x".repeat(300_000);
    const shapes = [
      async (i: number) => (await pool.query<{ a: number }>("SELECT $1::int + 1 AS a", [i])).rows[0]?.a === i + 1,
      async (i: number) => (await pool.query<{ b: string; c: number }>("SELECT $1::text AS b, 7 AS c", [`x${i}`])).rows[0]?.b === `x${i}`,
      async (i: number) => (await pool.query<{ n: number }>("SELECT length($1::text) + $2::int AS n", [big, i])).rows[0]?.n === big.length + i,
    ];
    const results = await Promise.all(Array.from({ length: 90 }, (_, i) => shapes[i % 3]!(i + 1).catch((e: Error) => e.message)));
    expect(results.filter((r) => r !== true)).toEqual([]);
  });

  it("a transaction is its connection's own: another connection waits until COMMIT, then sees it", async () => {
    const [a, b] = [await client(), await client()];
    try {
      await a.query("BEGIN");
      await a.query("INSERT INTO turns VALUES (1)");
      let seen: number | undefined;
      const read = b.query<{ n: number }>("SELECT count(*)::int AS n FROM turns WHERE n = 1").then((r) => (seen = r.rows[0]!.n));
      await sleep(200);
      expect(seen).toBeUndefined();
      await a.query("INSERT INTO turns VALUES (1)");
      await a.query("COMMIT");
      await read;
      expect(seen).toBe(2);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("transaction locks exclude: two connections' transactions on one pg_advisory_xact_lock run one after the other", async () => {
    const order: string[] = [];
    const tx = async (name: string) => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("SELECT pg_advisory_xact_lock(4242)");
        order.push(`${name} in`);
        await sleep(50);
        order.push(`${name} out`);
        await c.query("COMMIT");
      } finally {
        c.release();
      }
    };
    await Promise.all([tx("a"), tx("b"), tx("c")]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace("in", "out"));
  });

  it("a connection that goes away mid-transaction is rolled back and frees the session", async () => {
    const a = await client();
    a.on("error", () => {}); // its own socket is cut below
    await a.query("BEGIN");
    await a.query("INSERT INTO turns VALUES (99)");
    const waiting = pool.query<{ n: number }>("SELECT count(*)::int AS n FROM turns WHERE n = 99");
    // Gone without a Terminate message, as a killed process's socket would be.
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await waiting).rows[0]!.n).toBe(0);
    expect((await pool.query<{ s: string }>("SELECT 'free' AS s")).rows[0]!.s).toBe("free");
  });

  it("a failed statement ends the turn: the connection and the others go on", async () => {
    const failing = Promise.all(Array.from({ length: 5 }, () => pool.query("SELECT 1 / $1::int", [0]).catch((e: Error) => e.message)));
    const fine = Promise.all(Array.from({ length: 5 }, (_, i) => pool.query<{ v: number }>("SELECT $1::int AS v", [i])));
    expect(await failing).toEqual(Array(5).fill("division by zero"));
    expect((await fine).map((r) => r.rows[0]!.v)).toEqual([0, 1, 2, 3, 4]);
  });

  it("refuses connections past its bound with a PostgreSQL error, not a hang", async () => {
    const many = await Promise.allSettled(Array.from({ length: 70 }, () => client()));
    const refused = many.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/too many clients/);
    await Promise.all(many.map((r) => (r.status === "fulfilled" ? r.value.end() : undefined)));
  });
});

describe("the app's SQL keeps no state in the session beyond a transaction", () => {
  // On the embedded database every connection shares one session: a named prepared statement
  // collides between connections, a plain SET leaks to all of them, and a session advisory lock
  // excludes nobody. Transaction-scoped forms (unnamed statements, SET LOCAL, *_xact_lock) are safe.
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) return d.name === "generated" ? [] : files(p);
      return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$|\.testkit\.ts$/.test(d.name) ? [p] : [];
    });
  const product = files(path.resolve("src")).map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));

  it.each([
    ["a named prepared statement", /\.query\(\s*\{[^}]*\bname\s*:/s],
    ["a session advisory lock", /pg_(try_)?advisory_lock(_shared)?\s*\(/],
    ["a plain SET (not SET LOCAL)", /(^|[;"'`(]\s*)SET\s+(SESSION\s+)?(?!LOCAL\b)[a-z_.]+\s*(=|TO\b)/im],
    ["set_config(…, false)", /set_config\([^)]*,\s*false\s*\)/i],
  ])("no %s in product code", (_what, pattern) => {
    expect(product.filter(({ text }) => pattern.test(text)).map(({ f }) => path.relative(process.cwd(), f))).toEqual([]);
  });
});
