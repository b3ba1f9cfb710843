import type { z } from "zod";
import { ZAnalyticsFilters } from "./filters.schema";

export const ZSummaryInput = ZAnalyticsFilters;
export type TSummaryInput = z.infer<typeof ZSummaryInput>;
