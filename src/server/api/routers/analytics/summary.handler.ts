import type { TRPCContext } from "~/server/api/trpc";
import { previousPeriod } from "./filters.schema";
import { dailySeries, rangeTotals } from "./queries";
import type { TSummaryInput } from "./summary.schema";

type Options = { ctx: TRPCContext; input: TSummaryInput };

/**
 * Totals over every matching stream for the range, the same for the period of equal length just
 * before it (for the KPI deltas), and the per-day series for the chart.
 */
export async function summaryHandler({ input }: Options) {
  const prev = previousPeriod(input.from, input.to);
  const [current, previous, daily] = await Promise.all([
    rangeTotals(input),
    rangeTotals({ ...input, ...prev }),
    dailySeries(input),
  ]);
  return { range: { from: input.from, to: input.to }, previousRange: prev, current, previous, daily };
}
