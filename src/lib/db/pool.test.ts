import { afterAll, describe, expect, it, vi } from "vitest";
import { log } from "~/lib/log";
import { closePool, getPool } from "./pool";

afterAll(() => closePool());

describe("the pool", () => {
  it("logs an idle connection's failure and goes on (the process survives, the next query works)", async () => {
    const pool = getPool();
    const logged = vi.spyOn(log, "error");
    const [killer, idle] = [await pool.connect(), await pool.connect()];
    const pid = (await idle.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    idle.release();
    // Another connection ends the idle one's backend: the idle client emits an error and the pool
    // relays it. Only the pool's own listener hears it (without one, the error would be thrown).
    await killer.query("SELECT pg_terminate_backend($1)", [pid]);
    killer.release();
    await vi.waitFor(() => expect(logged).toHaveBeenCalled());
    expect(logged).toHaveBeenCalledWith({ err: expect.any(Error) }, expect.stringMatching(/idle database connection failed/));
    // The broken connection left the pool; the next query gets a working one.
    for (let i = 0; i < 3; i++) expect((await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid).not.toBe(pid);
    logged.mockRestore();
  });
});
