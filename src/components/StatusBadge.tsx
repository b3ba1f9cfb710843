import type { StreamStatus } from "~/generated/prisma/enums";

export function StatusBadge({ status }: { status: StreamStatus }) {
  return <span className={`badge badge-${status}`}>{status === "live" ? "● live" : status}</span>;
}
