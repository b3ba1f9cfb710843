// The app's tRPC router: one sub-router per domain.
import { analyticsRouter } from "~/server/api/routers/analytics/_router";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller({ db, session })`. */
export const createCaller = createCallerFactory(appRouter);
