import { jobSummaries } from "~/jobs/history";

/** Per job: its last run, last success and the last 24 h's runs and failures. */
export function summariesHandler() {
  return jobSummaries();
}
