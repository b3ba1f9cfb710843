// The self-hosters' worker: every vercel.json cron path has its job; jobs run on their schedule,
// never two runs of one job at once; unknown paths are skipped and reported.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { JobOutcome } from "~/jobs/runner";
import { CRON_JOBS } from "./jobs";
import { readCrons, startWorker } from "./worker";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function outcome(): JobOutcome {
  return { runId: "r", name: "partitions", status: "succeeded", figures: {}, durationMs: 1 };
}

describe("npm run worker", () => {
  it("knows a job for every cron path of vercel.json, and each path is a route", () => {
    const crons = readCrons("vercel.json");
    expect(crons.length).toBeGreaterThanOrEqual(3);
    for (const c of crons) {
      expect(CRON_JOBS[c.path], `src/worker/jobs.ts has no job for ${c.path}`).toBeTypeOf("function");
      expect(fs.existsSync(path.join("src/app", c.path, "route.ts")), `route for ${c.path}`).toBe(true);
    }
  });

  it("refuses a vercel.json without crons, naming the problem", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "worker-"));
    fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify({ crons: [{ path: "/x" }] }));
    expect(() => readCrons(path.join(dir, "a.json"))).toThrow(/crons\[0\] needs a string "path" and "schedule"/);
    fs.writeFileSync(path.join(dir, "b.json"), "{}");
    expect(() => readCrons(path.join(dir, "b.json"))).toThrow(/no "crons" array/);
  });

  it("runs each job on its schedule, never two runs of one job at once, and skips unknown paths", async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let secondDone!: () => void;
    const twoRuns = new Promise<void>((r) => (secondDone = r));
    const warnings: string[] = [];
    const worker = startWorker({
      // Every second (croner reads 6 fields as seconds first).
      crons: [{ path: "/api/cron/slow", schedule: "* * * * * *" }, { path: "/api/cron/nope", schedule: "* * * * *" }],
      jobs: {
        "/api/cron/slow": async (trigger) => {
          expect(trigger).toBe("worker");
          calls++;
          active++;
          maxActive = Math.max(maxActive, active);
          // The first run lasts over two ticks: those ticks must be skipped, not overlap it.
          if (calls === 1) await gate;
          active--;
          if (calls === 2) secondDone();
          return outcome();
        },
      },
      log: { ...quiet, warn: (_o: unknown, msg?: string) => void warnings.push(String(msg)) },
    });
    expect(worker.unknown).toEqual(["/api/cron/nope"]);
    expect(worker.jobs.map((j) => j.path)).toEqual(["/api/cron/slow"]);
    // Wait until a tick has been skipped because the first run is still going, then let it end.
    await expect.poll(() => warnings.some((w) => /previous run still going/.test(w)), { timeout: 5000, interval: 50 }).toBe(true);
    expect(calls).toBe(1);
    release();
    await twoRuns;
    await worker.stop();
    expect(maxActive).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
