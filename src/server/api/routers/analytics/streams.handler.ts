import type { TRPCContext } from "~/server/api/trpc";
import { listStreamStats } from "./queries";
import type { TStreamsInput } from "./streams.schema";

type Options = { ctx: TRPCContext; input: TStreamsInput };

/** One page of the filtered streams with their figures over the date range. */
export async function streamsHandler({ input }: Options) {
  const { sort, dir, page, pageSize, ...filters } = input;
  const { rows, total } = await listStreamStats(filters, { sort, dir, limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
