import { z } from "zod";

export const ZStreamId = z.string().trim().min(1, "streamId: required").max(200, "streamId: at most 200 characters");

export const ZForStreamInput = z.object({ streamId: ZStreamId });
export type TForStreamInput = z.infer<typeof ZForStreamInput>;
