import Link from "next/link";
import "./admin.css";
import { SchedulerNotice } from "~/components/SchedulerNotice";
import { SignOutButton } from "~/components/SignOutButton";
import { env } from "~/env";
import { getServerAuthSession } from "~/server/auth";
import { TRPCReactProvider } from "~/trpc/react";
import { serverApi } from "~/trpc/server";

// Each admin page checks the role itself (requireAdminPage); the layout only frames them.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerAuthSession();
  // Admins only: the notice names how the deployment runs its jobs.
  const scheduler = session?.user.role === "admin" ? await (await serverApi()).jobs.scheduler() : null;
  return (
    <TRPCReactProvider logErrors={env.NODE_ENV === "development"}>
      <div className="admin-bar">
        <nav aria-label="Admin">
          <Link href="/admin">Admin home</Link>
          <Link href="/admin/analytics/streams">Analytics</Link>
          <Link href="/admin/analytics/live">Live now</Link>
          <Link href="/admin/streams">Streams</Link>
          <Link href="/admin/organizers">Organizers</Link>
          <Link href="/admin/tokens">API tokens</Link>
          <Link href="/admin/jobs">Jobs</Link>
        </nav>
        {session && (
          <span className="muted admin-user">
            {session.user.email} · <SignOutButton />
          </span>
        )}
      </div>
      {scheduler?.stale && <SchedulerNotice lastSeenAt={scheduler.lastSeenAt} />}
      {children}
    </TRPCReactProvider>
  );
}
