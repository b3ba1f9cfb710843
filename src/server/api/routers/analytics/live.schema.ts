import { z } from "zod";

/** Optional: only one organizer's live streams. */
export const ZLiveInput = z.object({ organizerId: z.string().trim().min(1).max(100).optional() }).optional();
export type TLiveInput = z.infer<typeof ZLiveInput>;
