import type { z } from "zod";
import { ZAnalyticsFilters } from "~/analytics/filters";

export const ZSummaryInput = ZAnalyticsFilters;
export type TSummaryInput = z.infer<typeof ZSummaryInput>;
