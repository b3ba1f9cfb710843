import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { runJob } from "./runner";

describe("runJob", () => {
  it("records a successful run with its figures", async () => {
    const out = await runJob("partitions", "test", async () => ({ created: 2 }));
    expect(out.status).toBe("succeeded");
    const { rows } = await getPool().query("SELECT status, figures, finished_at FROM job_runs WHERE id = $1", [out.runId]);
    expect(rows[0].status).toBe("succeeded");
    expect(rows[0].figures.created).toBe(2);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });

  it("records a failure with its message", async () => {
    const out = await runJob("partitions", "test", async () => {
      throw new Error("boom: stream x");
    });
    expect(out.status).toBe("failed");
    const { rows } = await getPool().query("SELECT status, error FROM job_runs WHERE id = $1", [out.runId]);
    expect(rows[0]).toMatchObject({ status: "failed", error: "boom: stream x" });
  });

  it("a second run while the first holds the lock returns at once as skipped", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = runJob("retention", "test", async () => {
      await gate;
      return { ok: true };
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    const second = await runJob("retention", "test", async () => ({ ran: true }));
    expect(second.status).toBe("skipped");
    expect(performance.now() - t0).toBeLessThan(5000);
    release();
    expect((await first).status).toBe("succeeded");
  });
});
