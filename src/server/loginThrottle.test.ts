// Integration: the sign-in throttle in front of next-auth's route (per address, per e-mail), the
// address taken by the same rules as ingestion, and the 429 that next-auth's signIn() reads.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/env";
import { runWithPeerAddress } from "~/lib/clientAddress";
import { createLoginThrottle, LOGIN_LIMITS, resetLoginThrottle, withLoginThrottle, type LoginThrottle } from "./loginThrottle";

const URL_ = "http://app.test/api/auth/callback/credentials";

let passed: number;
const nextAuth = async () => {
  passed++;
  return Response.json({ url: "http://app.test/api/auth/error?error=CredentialsSignin" }, { status: 401 });
};

function signIn(email: string, from: string, headers: Record<string, string> = {}) {
  const body = new URLSearchParams({ email, password: "guess", csrfToken: "x", json: "true" });
  const request = new Request(URL_, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });
  // As npm start's server runs Next: the TCP peer handed over with the request.
  return runWithPeerAddress(from, () => route(request, {}));
}

let throttle: LoginThrottle;
let route: (request: Request, context: object) => Promise<Response>;
beforeEach(() => {
  passed = 0;
  delete process.env.TRUST_PROXY;
  resetEnvCache();
  throttle = createLoginThrottle({ secret: "s" });
  route = withLoginThrottle(nextAuth, () => throttle);
});
afterEach(() => throttle.close());

async function statuses(n: number, send: (i: number) => Promise<Response>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send(i)).status);
  return out;
}

describe("sign-in throttle", () => {
  it("refuses the attempt after the address's limit with 429, Retry-After and a message the form shows", async () => {
    const s = await statuses(LOGIN_LIMITS.perAddress + 1, (i) => signIn(`someone${i}@example.test`, "203.0.113.10"));
    expect(s.slice(0, -1).every((x) => x === 401)).toBe(true);
    const res = await signIn("someone@example.test", "203.0.113.10");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: string; url: string };
    expect(body.error).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes?\.$/);
    // What next-auth's signIn() turns into { error, status: 429 }.
    expect(new URL(body.url).searchParams.get("error")).toBe("TooManyAttempts");
    // next-auth (and the password hash) never saw the refused ones.
    expect(passed).toBe(LOGIN_LIMITS.perAddress);
    // Another address is not affected.
    expect((await signIn("someone@example.test", "203.0.113.11")).status).toBe(401);
  });

  it("a client cannot pick its own key: X-Forwarded-For is ignored without TRUST_PROXY", async () => {
    const s = await statuses(LOGIN_LIMITS.perAddress + 1, (i) => signIn("a@example.test", "203.0.113.20", { "x-forwarded-for": `198.51.100.${i}` }));
    expect(s.at(-1)).toBe(429);
  });

  it("counts an IPv6 host for its /64", async () => {
    const s = await statuses(LOGIN_LIMITS.perAddress + 1, (i) => signIn("b@example.test", `2001:db8:42:1::${(i + 1).toString(16)}`));
    expect(s.at(-1)).toBe(429);
  });

  it("limits one e-mail over many addresses, and not another e-mail", async () => {
    const target = "admin@example.test";
    const s = await statuses(LOGIN_LIMITS.perEmail + 1, (i) => signIn(target, `198.51.${Math.floor(i / 200)}.${i % 200}`));
    expect(s.slice(0, -1).every((x) => x === 401)).toBe(true);
    expect(s.at(-1)).toBe(429);
    expect((await signIn(target.toUpperCase(), "192.0.2.200")).status).toBe(429);
    expect((await signIn("other@example.test", "192.0.2.201")).status).toBe(401);
  });

  it("one host cannot lock the real admin out: its own limit comes long before the e-mail's", async () => {
    expect(LOGIN_LIMITS.perAddress).toBeLessThan(LOGIN_LIMITS.perEmail);
    const target = "admin@example.test";
    const s = await statuses(LOGIN_LIMITS.perEmail + 5, () => signIn(target, "203.0.113.30"));
    expect(s.filter((x) => x === 429)).toHaveLength(LOGIN_LIMITS.perEmail + 5 - LOGIN_LIMITS.perAddress);
    // The admin, from anywhere else, still gets to the password check.
    expect((await signIn(target, "192.0.2.7")).status).toBe(401);
  });

  it("successful sign-ins cost nothing", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress * 2; i++) {
      expect((await throttle.attempt("203.0.113.40", "ok@example.test")).allowed).toBe(true);
      await throttle.succeeded("203.0.113.40", "ok@example.test");
    }
    expect((await signIn("ok@example.test", "203.0.113.40")).status).toBe(401);
  });

  it("leaves every other next-auth request alone", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress + 1; i++) await signIn("c@example.test", "203.0.113.50");
    const session = await runWithPeerAddress("203.0.113.50", () => route(new Request("http://app.test/api/auth/session"), {}));
    expect(session.status).toBe(401); // the stand-in's answer: it was passed through
    const csrf = await runWithPeerAddress("203.0.113.50", () => route(new Request("http://app.test/api/auth/signout", { method: "POST" }), {}));
    expect(csrf.status).toBe(401);
  });
});

describe("the process-wide throttle", () => {
  it("is the one next-auth's route uses", async () => {
    await resetLoginThrottle();
    const mod = await import("~/app/api/auth/[...nextauth]/route");
    let last = 0;
    for (let i = 0; i <= LOGIN_LIMITS.perAddress; i++) {
      const request = new Request(URL_, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=x%40example.test" });
      // The refused attempt never reaches next-auth (which needs a Next.js request to run).
      const res = await runWithPeerAddress("203.0.113.60", () => mod.POST(request, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) }).catch(() => new Response(null, { status: 599 })));
      last = res.status;
    }
    expect(last).toBe(429);
    await resetLoginThrottle();
  });
});
