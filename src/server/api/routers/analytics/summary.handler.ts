import { previousPeriod } from "~/analytics/filters";
import { dailySeries } from "~/analytics/queries/dailySeries";
import { rangeTotals } from "~/analytics/queries/rangeTotals";
import type { TSummaryInput } from "./summary.schema";

/**
 * Totals over every matching stream for the range, the same for the period of equal length just
 * before it (for the KPI deltas), and the per-day series for the chart.
 */
export async function summaryHandler({ input }: { input: TSummaryInput }) {
  const prev = previousPeriod(input.from, input.to);
  const [current, previous, daily] = await Promise.all([
    rangeTotals(input),
    rangeTotals({ ...input, ...prev }),
    dailySeries(input),
  ]);
  return { range: { from: input.from, to: input.to }, previousRange: prev, current, previous, daily };
}
