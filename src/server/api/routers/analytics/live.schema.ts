import { z } from "zod";

/** Optional: only one organizer's live streams. */
export const ZLiveInput = z.object({ organizerId: z.string().trim().min(1).max(100).optional() }).optional();
export type TLiveInput = z.infer<typeof ZLiveInput>;

/** A viewer counts as watching now when their session had an event within this window. */
export const CURRENT_WINDOW_SECONDS = 60;
