import { liveStreams } from "~/analytics/queries/liveStreams";
import type { TLiveInput } from "./live.schema";

/** The streams live now with their current viewers and the last hour of concurrency. */
export function liveHandler({ input }: { input: TLiveInput }) {
  return liveStreams({ organizerId: input?.organizerId });
}
