import type { Metadata } from "next";
import "../admin/admin.css";
import { LoginForm } from "~/components/LoginForm";
import { safeCallbackPath } from "~/lib/safeCallback";
import { getServerAuthSession } from "~/server/auth";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const session = await getServerAuthSession();
  return (
    <div className="login-page">
      <h1>Sign in</h1>
      <p className="muted">The analytics dashboards are for admins of this Streamscope instance.</p>
      {session && (
        <p className="muted" data-testid="signed-in-as">
          You are signed in as {session.user.email}. Sign in again to switch accounts.
        </p>
      )}
      <LoginForm callbackUrl={callbackUrl} initialError={typeof params.error === "string" ? params.error : undefined} />
    </div>
  );
}
