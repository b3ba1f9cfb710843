import { z } from "zod";
import { ZStreamId } from "./forStream.schema";

/** One stream (the stream page's button) or, without streamId, every Bunny stream. */
export const ZSyncInput = z.object({ streamId: ZStreamId.optional() });
export type TSyncInput = z.infer<typeof ZSyncInput>;
