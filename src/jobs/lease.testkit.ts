// Test helper: another run holding a job (its lease row, unexpired), until release().
import { getPool } from "~/lib/db/pool";
import type { JobName } from "./runner";

export async function holdJobLease(name: JobName, ms = 60_000): Promise<{ release(): Promise<void> }> {
  const holder = `test-holder-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await getPool().query(
    `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, now() + $3::int * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at`,
    [`job:${name}`, holder, ms],
  );
  return {
    release: async () => {
      await getPool().query("DELETE FROM job_leases WHERE name = $1 AND holder = $2", [`job:${name}`, holder]);
    },
  };
}
