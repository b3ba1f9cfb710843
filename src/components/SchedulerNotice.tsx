// Shown on every admin page while no scheduler has started a job lately: new viewing then never
// reaches the dashboards, and the admin should hear it here rather than guess from flat charts.
import Link from "next/link";

const fmt = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function SchedulerNotice({ lastSeenAt }: { lastSeenAt: Date | null }) {
  return (
    <div className="scheduler-notice" role="note" data-testid="scheduler-notice">
      <strong>No scheduler has run {lastSeenAt ? `since ${fmt(lastSeenAt)}` : "yet"}.</strong> New viewing reaches the
      live page at once but the dashboards only after the aggregation job runs. <code>npm start</code> runs the jobs itself
      unless <code>SCHEDULER=off</code>; otherwise run <code>npm run worker</code>, or Vercel Cron with <code>CRON_SECRET</code> set.{" "}
      <Link href="/admin/jobs">Job runs</Link>
    </div>
  );
}
