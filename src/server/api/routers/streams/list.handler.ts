import { listStreams } from "~/streams/queries";

/** Every stream, live first, then scheduled, then ended. */
export function listHandler() {
  return listStreams();
}
