// Where the login sends the admin afterwards. Only a path on our own origin, checked the way a
// browser will read it: the WHATWG URL parser strips tabs and newlines and reads `\` as `/`, so
// `/\t/evil.example` would land on evil.example; and a later decoding step must not be able to
// turn `/%2F%2Fevil.example` into `//evil.example` either.
const ORIGIN = "http://streamscope.invalid";
// C0 controls, DEL and backslashes have no place in a path we would redirect to.
const UNSAFE = /[\u0000-\u001F\u007F\\]/;
const MAX_LENGTH = 2048;

function stays(form: string): boolean {
  if (UNSAFE.test(form) || !form.startsWith("/") || form.startsWith("//")) return false;
  try {
    return new URL(form, ORIGIN).origin === ORIGIN;
  } catch {
    return false;
  }
}

/** A same-origin path to return to after sign-in (normalized by URL parsing); anything else → fallback. */
export function safeCallbackPath(value: unknown, fallback = "/admin"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  // The value as given, then as each of up to two more decodings would read it.
  let form = value;
  for (let round = 0; round < 3; round++) {
    if (!stays(form)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      // Malformed escapes in what we were given; a literal `%` after a decoding is just a character.
      if (round === 0) return fallback;
      break;
    }
    if (decoded === form) break;
    form = decoded;
  }
  const url = new URL(value, ORIGIN);
  return url.pathname + url.search + url.hash;
}

/** `path` with the page's query string, so the login can bring the admin back to the same view. */
export function pathWithQuery(path: string, searchParams: Record<string, string | string[] | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) qs.append(k, one);
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
