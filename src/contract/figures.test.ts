// Each ratio of figures.ts in TypeScript and in SQL gives the same number, on the run's database.
import { afterAll, describe, expect, it } from "vitest";
import { closePool, getPool } from "~/lib/db/pool";
import { avgWatchSeconds, avgWatchSecondsSql, bufferRatio, bufferRatioSql, errorRate, errorRateSql, startupMsAvg, startupMsAvgSql } from "./figures";

afterAll(closePool);

const cases: [number, number][] = [
  [5, 60],
  [0, 0],
  [3, 0],
  [0, 7],
  [1, 3],
  [12.5, 0.25],
];

describe("ratios agree in TypeScript and SQL", () => {
  it.each([
    ["bufferRatio", bufferRatio, bufferRatioSql],
    ["errorRate", errorRate, errorRateSql],
    ["avgWatchSeconds", avgWatchSeconds, avgWatchSecondsSql],
    ["startupMsAvg", startupMsAvg, startupMsAvgSql],
  ] as const)("%s", async (_name, ts, sql) => {
    const { rows } = await getPool().query<{ r: number }>(
      `SELECT ${sql("n", "d")} AS r FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(n, d, i) ORDER BY i`,
      [cases.map((c) => c[0]), cases.map((c) => c[1])],
    );
    expect(rows.map((r) => r.r)).toEqual(cases.map(([n, d]) => ts(n, d)));
  });

  it("the plan's examples", () => {
    expect(bufferRatio(5, 60)).toBeCloseTo(5 / 60, 12);
    expect(errorRate(1, 1)).toBe(1);
    expect(avgWatchSeconds(60, 1)).toBe(60);
  });

  it("SQL with a NULL denominator is 0", async () => {
    const { rows } = await getPool().query<{ r: number }>(`SELECT ${bufferRatioSql("5", "NULL::float8")} AS r`);
    expect(rows[0]!.r).toBe(0);
  });
});
