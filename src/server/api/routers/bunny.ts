// tRPC `bunny`: what Bunny Stream reports for a stream and "Sync now", both admin-only. The work lives in src/bunny; this file maps it to procedures and error codes.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { bunnyConfig, missingBunnySettings, missingMessage } from "~/bunny/config";
import { bunnyReport } from "~/bunny/report";
import { runBunnySync } from "~/bunny/sync";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";

const streamId = z.string().trim().min(1, "streamId: required").max(200, "streamId: at most 200 characters");

export const bunnyRouter = createTRPCRouter({
  forStream: adminProcedure.input(z.object({ streamId })).query(async ({ input }) => {
    const report = await bunnyReport(input.streamId);
    if (!report) throw new TRPCError({ code: "NOT_FOUND", message: `Unknown stream ${input.streamId}.` });
    return report;
  }),

  /** Syncs one stream (the stream page's button) or, without streamId, every Bunny stream. */
  sync: adminProcedure.input(z.object({ streamId: streamId.optional() })).mutation(async ({ input }) => {
    let config;
    try {
      config = bunnyConfig();
    } catch (err) {
      throw new TRPCError({ code: "NOT_IMPLEMENTED", message: err instanceof Error ? err.message : String(err) });
    }
    const missing = await missingBunnySettings(config);
    if (missing.length) throw new TRPCError({ code: "NOT_IMPLEMENTED", message: missingMessage(missing) });
    if (input.streamId) {
      const report = await bunnyReport(input.streamId);
      if (!report) throw new TRPCError({ code: "NOT_FOUND", message: `Unknown stream ${input.streamId}.` });
      if (!report.isBunny) throw new TRPCError({ code: "BAD_REQUEST", message: `Stream ${input.streamId} is not played from Bunny Stream.` });
      if (!report.canSync) throw new TRPCError({ code: "NOT_IMPLEMENTED", message: report.syncBlockedReason ?? "Bunny sync is not possible." });
    }
    const out = await runBunnySync("admin", { config, streamIds: input.streamId ? [input.streamId] : undefined });
    if (out.status === "skipped") {
      throw new TRPCError({ code: "CONFLICT", message: "A Bunny sync is already running; try again when it has finished." });
    }
    const failures = (out.figures.failures as { streamId: string; error: string }[] | undefined) ?? [];
    return {
      runId: out.runId,
      status: out.status,
      error: out.error ?? failures[0]?.error ?? null,
      synced: typeof out.figures.synced === "number" ? out.figures.synced : 0,
      days: typeof out.figures.days === "number" ? out.figures.days : 0,
      failures,
      durationMs: Math.round(out.durationMs),
    };
  }),
});
