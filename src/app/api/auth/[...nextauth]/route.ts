// next-auth's endpoints; credentials sign-ins over the per-address or per-e-mail limit are
// answered 429 before next-auth sees them (src/server/loginThrottle.ts).
import NextAuth from "next-auth";
import { authOptions } from "~/server/auth";
import { withLoginThrottle } from "~/server/loginThrottle";

const handler = withLoginThrottle(NextAuth(authOptions) as (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>);

export { handler as GET, handler as POST };
