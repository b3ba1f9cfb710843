import { organizers } from "~/analytics/queries/organizers";

/** Every organizer, for the filter. */
export function organizersHandler() {
  return organizers();
}
