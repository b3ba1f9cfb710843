"use client";
// Loading, error (with retry) and empty states shared by the admin pages.
import { TRPCClientError } from "@trpc/client";

export function LoadingBlock({ label = "Loading…", height = 120 }: { label?: string; height?: number }) {
  return (
    <div className="loading-block" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

function describe(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = String(error.data?.code ?? "");
    if (code === "UNAUTHORIZED") return "Your session has ended. Sign in again.";
    if (code === "FORBIDDEN") return "Your account does not have the admin role.";
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") return error.message;
  }
  return "The analytics service did not answer. Check your connection and try again.";
}

export function ErrorState({ error, onRetry, title = "Could not load the data" }: { error: unknown; onRetry: () => void; title?: string }) {
  return (
    <div className="error-box" role="alert" data-testid="error-state">
      <strong>{title}</strong>
      <p>{describe(error)}</p>
      <button type="button" className="primary" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      {children}
    </div>
  );
}
