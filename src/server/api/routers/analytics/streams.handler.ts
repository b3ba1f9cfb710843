import { streamsList } from "~/analytics/queries/streamsList";
import type { TStreamsInput } from "./streams.schema";

/** One page of the filtered streams with their figures over the date range. */
export async function streamsHandler({ input }: { input: TStreamsInput }) {
  const { sort, dir, page, pageSize, ...filters } = input;
  const { rows, total } = await streamsList(filters, { sort, dir, limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}
