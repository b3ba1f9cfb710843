export { ZTokenCreate, type TTokenCreate } from "~/tokens/tokens";
import { z } from "zod";

export const ZTokenRevoke = z.object({ id: z.string().trim().min(1).max(200) });
