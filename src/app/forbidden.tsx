import Link from "next/link";
import { SignOutButton } from "~/components/SignOutButton";

// Rendered with status 403 by forbidden() (next.config: experimental.authInterrupts).
export default function Forbidden() {
  return (
    <div className="card narrow-card">
      <h1>403 — not allowed</h1>
      <p>This page is for admins. Your account does not have the admin role.</p>
      <p>
        <Link href="/">Back to the streams</Link> · <SignOutButton label="Sign in as someone else" />
      </p>
    </div>
  );
}
