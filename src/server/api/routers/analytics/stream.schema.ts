import { z } from "zod";

export const ZStreamInput = z.object({ id: z.string().trim().min(1).max(200) });
export type TStreamInput = z.infer<typeof ZStreamInput>;
