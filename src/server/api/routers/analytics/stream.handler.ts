import { TRPCError } from "@trpc/server";
import { streamDetail } from "~/analytics/queries/streamDetail";
import type { TStreamInput } from "./stream.schema";

/** One stream's all-time figures (stream_stats) and its series over time. */
export async function streamHandler({ input }: { input: TStreamInput }) {
  const detail = await streamDetail(input.id);
  if (!detail) throw new TRPCError({ code: "NOT_FOUND", message: `No stream with id "${input.id}".` });
  return detail;
}
