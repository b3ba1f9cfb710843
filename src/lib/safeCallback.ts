/** A same-origin path to return to after sign-in; anything else (absolute or protocol-relative URLs) → fallback. */
export function safeCallbackPath(value: unknown, fallback = "/admin"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
