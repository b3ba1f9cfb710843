"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

// next-auth's error codes (from signIn() or ?error= on the page) as the form says them.
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  // 429 from the sign-in throttle (src/server/loginThrottle.ts): 15-minute windows.
  TooManyAttempts: "Too many sign-in attempts from here or for this account. Wait a few minutes (at most 15), then try again.",
};

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const [error, setError] = useState<string | null>(initialError ? (MESSAGES[initialError] ?? "Signing in failed. Check your email and password.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (res?.ok && !res.error) {
        // A full navigation, so every server component renders with the new session cookie.
        window.location.assign(callbackUrl);
        return;
      }
      const code = res?.status === 429 ? "TooManyAttempts" : (res?.error ?? "");
      setError(MESSAGES[code] ?? "Signing in failed. Try again.");
    } catch {
      setError("The server could not be reached. Try again.");
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="card login-form" aria-label="Sign in">
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
