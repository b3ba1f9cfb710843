// tRPC v11 set-up (t3 style): the context, superjson, zod errors flattened for forms, and the three
// procedure levels every router builds on:
//   publicProcedure    anyone
//   protectedProcedure signed in, else UNAUTHORIZED
//   adminProcedure     role admin, else FORBIDDEN (UNAUTHORIZED when signed out)
// The context carries no database handle: handlers reach data only through the domain modules
// (src/analytics, src/bunny), so there is one way to the database.
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { log } from "~/lib/log";
import { getServerAuthSession, type AuthSession } from "~/server/auth";

export interface TRPCContext {
  session: AuthSession | null;
  headers?: Headers;
}

/** Context of an HTTP request (the /api/trpc route handler and server components). */
export async function createTRPCContext(opts: { headers: Headers }): Promise<TRPCContext> {
  const session = await getServerAuthSession();
  return { session, headers: opts.headers };
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // `{ formErrors, fieldErrors }` naming each bad input field, for the client to show.
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

// Unexpected errors are logged with their path; the client only sees INTERNAL_SERVER_ERROR.
const logging = t.middleware(async ({ path, type, next }) => {
  const started = performance.now();
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    log.error({ path, type, err: result.error.cause ?? result.error, ms: Math.round(performance.now() - started) }, "tRPC procedure failed");
  }
  return result;
});

export const publicProcedure = t.procedure.use(logging);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs the admin role." });
  }
  return next({ ctx });
});
