// One way to run a transaction: BEGIN (with its isolation and SET LOCAL settings), the caller's work,
// COMMIT; ROLLBACK on any error or on rollback(); the connection back to the pool, or destroyed when
// it may be left mid-transaction. Every transaction in the app goes through here.
import pg from "pg";

export type Isolation = "read committed" | "repeatable read" | "serializable";

export interface TransactionOptions {
  isolation?: Isolation;
  readOnly?: boolean;
  /** `SET LOCAL name = value` for each entry (lock_timeout, statement_timeout, synchronous_commit, …). */
  settings?: Record<string, string | number>;
  /**
   * The caller sends BEGIN and COMMIT itself inside its own multi-statement queries (the ingestion
   * writer saves two round trips per group that way); this helper still rolls back on error and
   * releases the connection.
   */
  inlineBeginCommit?: boolean;
}

class RollbackSignal {
  constructor(readonly value: unknown) {}
}

/** Ends the transaction with ROLLBACK; withTransaction then returns `value`. */
export function rollback<T>(value: T): never {
  throw new RollbackSignal(value);
}

const SETTING_NAME = /^[a-z_][a-z0-9_.]*$/;

/** BEGIN plus SET LOCALs, as one statement list. */
export function beginSql(opts: TransactionOptions = {}): string {
  const mode = [opts.isolation && `ISOLATION LEVEL ${opts.isolation.toUpperCase()}`, opts.readOnly && "READ ONLY"].filter(Boolean).join(" ");
  const sets = Object.entries(opts.settings ?? {}).map(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new Error(`not a setting name: ${name}`);
    return `SET LOCAL ${name} = ${typeof value === "number" ? String(value) : pg.escapeLiteral(value)}`;
  });
  return [`BEGIN${mode ? ` ${mode}` : ""}`, ...sets].join("; ");
}

/**
 * Runs `fn` in a transaction on a connection of `db` (a pool: one is taken and given back), or on
 * `db` itself when it is a connected client. Returns what `fn` returns, or what it passed to rollback().
 */
export async function withTransaction<T>(db: pg.Pool | pg.ClientBase, fn: (client: pg.ClientBase) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const pooled = db instanceof pg.Pool;
  const client: pg.ClientBase = pooled ? await db.connect() : db;
  // A connection whose ROLLBACK failed may still be inside the transaction: never reuse it.
  let broken: Error | undefined;
  try {
    if (!opts.inlineBeginCommit) await client.query(beginSql(opts));
    const value = await fn(client);
    if (!opts.inlineBeginCommit) await client.query("COMMIT");
    return value;
  } catch (err) {
    // Also after a failed COMMIT or BEGIN: harmless when no transaction is open.
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    if (err instanceof RollbackSignal) return err.value as T;
    throw err;
  } finally {
    if (pooled) (client as pg.PoolClient).release(broken ?? false);
  }
}
