// /admin/jobs' queries: recent runs newest first with filters; per-job summaries; figures as text.
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { jobSummaries, recentJobRuns } from "./history";

describe("job history", () => {
  it("lists recent runs newest first, filtered by job and outcome, and summarizes each job", async () => {
    const pool = getPool();
    const t = Date.now();
    const marker = `history-${t}`;
    const ins = (status: string, minutesAgo: number, error: string | null = null) =>
      pool.query(
        `INSERT INTO job_runs (name, trigger, status, started_at, finished_at, figures, error)
         VALUES ('bunny-sync', $1, $2::job_status, $3, $3::timestamptz + interval '2 seconds', $4, $5)`,
        [marker, status, new Date(t - minutesAgo * 60_000), JSON.stringify({ streams: minutesAgo }), error],
      );
    await ins("succeeded", 30);
    await ins("failed", 20, "Bunny answered 401");
    await ins("succeeded", 10);

    const mine = (await recentJobRuns({ name: "bunny-sync", limit: 500 })).filter((r) => r.trigger === marker);
    expect(mine.map((r) => [r.status, r.figures.streams])).toEqual([
      ["succeeded", 10],
      ["failed", 20],
      ["succeeded", 30],
    ]);
    const failed = (await recentJobRuns({ name: "bunny-sync", status: "failed", limit: 500 })).filter((r) => r.trigger === marker);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toBe("Bunny answered 401");
    expect((await recentJobRuns({ name: "partitions", limit: 500 })).some((r) => r.trigger === marker)).toBe(false);

    const summary = (await jobSummaries()).find((s) => s.name === "bunny-sync")!;
    expect(summary.failures24h).toBeGreaterThanOrEqual(1);
    expect(summary.runs24h).toBeGreaterThanOrEqual(3);
    expect(summary.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(t - 10 * 60_000);
    expect((await jobSummaries()).map((s) => s.name)).toEqual(["aggregate", "bunny-sync", "partitions", "retention"]);
  });
});
