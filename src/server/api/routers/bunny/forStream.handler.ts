import { TRPCError } from "@trpc/server";
import { bunnyReport } from "~/bunny/report";
import type { TForStreamInput } from "./forStream.schema";

/** Bunny's own figures for the stream beside ours, and whether "Sync now" can run. */
export async function forStreamHandler({ input }: { input: TForStreamInput }) {
  const report = await bunnyReport(input.streamId);
  if (!report) throw new TRPCError({ code: "NOT_FOUND", message: `Unknown stream ${input.streamId}.` });
  return report;
}
