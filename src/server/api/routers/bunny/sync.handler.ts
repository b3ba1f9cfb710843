import { TRPCError } from "@trpc/server";
import { bunnyConfig, missingBunnySettings, missingMessage } from "~/bunny/config";
import { bunnyReport } from "~/bunny/report";
import { runBunnySync } from "~/bunny/sync";
import type { TSyncInput } from "./sync.schema";

/** Syncs one stream (the stream page's button) or, without streamId, every Bunny stream. */
export async function syncHandler({ input }: { input: TSyncInput }) {
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
}
