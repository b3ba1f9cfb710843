import Link from "next/link";
import "./admin.css";
import { SignOutButton } from "~/components/SignOutButton";
import { env } from "~/env";
import { getServerAuthSession } from "~/server/auth";
import { TRPCReactProvider } from "~/trpc/react";

// Each admin page checks the role itself (requireAdminPage); the layout only frames them.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerAuthSession();
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
      {children}
    </TRPCReactProvider>
  );
}
