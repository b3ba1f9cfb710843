import { env } from "~/env";
import { aggregateSchedule, schedulerStatus } from "~/jobs/scheduler";

/** Whether any scheduler has started a job lately (the admin pages say so when none has). */
export function schedulerHandler() {
  return schedulerStatus(aggregateSchedule(env.AGGREGATE_EVERY));
}
