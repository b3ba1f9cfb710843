import type { StreamStatus } from "~/contract";

export function StatusBadge({ status }: { status: StreamStatus }) {
  return <span className={`badge badge-${status}`}>{status === "live" ? "● live" : status}</span>;
}
