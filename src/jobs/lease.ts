// Which run holds a job: a row in job_leases with an expiry, renewed while the job works and
// deleted when it is done. A holder that dies (SIGKILL, a lost machine, a dropped connection)
// simply stops renewing; the next run takes the job over once the lease has expired. Unlike a
// session advisory lock, nothing stays held by a pooled connection, and it excludes on the
// embedded database too, where every pool connection shares one PostgreSQL session.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { log } from "~/lib/log";

/** Long enough for a busy event loop, short enough that a dead run does not hold a job for long. */
export const DEFAULT_LEASE_MS = 60_000;

export interface Lease {
  readonly holder: string;
  /** True once a renewal found the lease taken over (this run went past its expiry unrenewed). */
  readonly lost: boolean;
  release(): Promise<void>;
}

type Queryable = Pick<pg.Pool, "query">;

/** The lease on `name` for `ttlMs`, renewed every third of it; null while another run holds it. */
export async function acquireLease(db: Queryable, name: string, ttlMs = DEFAULT_LEASE_MS): Promise<Lease | null> {
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  // One statement: a concurrent attempt waits for this row and then finds it unexpired.
  const { rows } = await db.query<{ holder: string }>(
    `INSERT INTO job_leases AS l (name, holder, acquired_at, expires_at)
     VALUES ($1, $2, now(), now() + $3::int * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
       WHERE l.expires_at <= now()
     RETURNING holder`,
    [name, holder, ttlMs],
  );
  if (rows[0]?.holder !== holder) return null;

  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = db
      .query("UPDATE job_leases SET expires_at = now() + $3::int * interval '1 millisecond' WHERE name = $1 AND holder = $2", [name, holder, ttlMs])
      .then(
        (r) => {
          if (r.rowCount === 0 && !lost) {
            lost = true;
            log.error({ job: name }, "job lease lost: another run took the job over while this one was still working");
          }
        },
        // The database is away: try again at the next tick; the lease lapses if it stays away.
        (err: Error) => log.warn({ job: name, err: err.message }, "job lease: renewal failed"),
      );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    holder,
    get lost() {
      return lost;
    },
    async release() {
      clearInterval(timer);
      await renewing;
      // If this fails, the lease still lapses by itself.
      await db.query("DELETE FROM job_leases WHERE name = $1 AND holder = $2", [name, holder]).catch((err: Error) => {
        log.warn({ job: name, err: err.message }, "job lease: release failed; it lapses by itself");
      });
    },
  };
}
