import { z } from "zod";

export const ZRevokeInput = z.object({ id: z.string().trim().min(1).max(200) });
export type TRevokeInput = z.infer<typeof ZRevokeInput>;
