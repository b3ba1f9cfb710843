import { describe, expect, it } from "vitest";
import { migrate, listMigrations } from "./migrate";

describe("migrate", () => {
  it("a second run applies nothing", async () => {
    const res = await migrate(process.env.DATABASE_URL!);
    expect(res.applied).toEqual([]);
    expect(res.alreadyApplied).toBe(listMigrations().length);
  });
});
