"use client";
// Form pieces the catalogue and token forms share: a labelled field that shows its own error
// (from the server's zod field errors, so the browser and the REST API refuse the same things).
import { useId } from "react";

export type FieldErrors = Record<string, string[] | undefined>;

/** The per-field messages of a refused tRPC call (`zodError.fieldErrors`), and its message otherwise. */
export function errorsOf(error: unknown): { fields: FieldErrors; message: string | null } {
  if (!error) return { fields: {}, message: null };
  const e = error as { data?: { zodError?: { fieldErrors?: FieldErrors; formErrors?: string[] } | null }; message?: string };
  const fields = e.data?.zodError?.fieldErrors ?? {};
  const formErrors = e.data?.zodError?.formErrors ?? [];
  const message = Object.keys(fields).length
    ? formErrors.length
      ? formErrors.join(" ")
      : "Please fix the fields marked below."
    : (e.message ?? "Saving failed. Try again.");
  return { fields, message };
}

export function Field({
  label,
  name,
  errors,
  hint,
  children,
}: {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: React.ReactNode;
  children: (props: { id: string; name: string; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const id = useId();
  const messages = errors[name];
  const describedBy = [hint ? `${id}-hint` : null, messages?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`form-field${messages?.length ? " has-error" : ""}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, "aria-invalid": Boolean(messages?.length), "aria-describedby": describedBy })}
      {hint && (
        <div id={`${id}-hint`} className="small muted">
          {hint}
        </div>
      )}
      {messages?.length ? (
        <div id={`${id}-error`} className="field-error" role="alert" data-testid={`error-${name}`}>
          {label} {messages.join("; ")}
        </div>
      ) : null}
    </div>
  );
}

/** "2026-12-02T18:00" (the browser's local time, as datetime-local gives it) → an ISO instant; "" stays "". */
export function localToIso(value: string): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** An instant as datetime-local's value in the browser's time zone. */
export function isoToLocal(value: Date | string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const fmtTime = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");
