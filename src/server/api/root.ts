// The app's tRPC router: one sub-router per domain.
import { analyticsRouter } from "~/server/api/routers/analytics/_router";
import { bunnyRouter } from "~/server/api/routers/bunny/_router";
import { jobsRouter } from "~/server/api/routers/jobs/_router";
import { streamsRouter } from "~/server/api/routers/streams/_router";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  analytics: analyticsRouter,
  bunny: bunnyRouter,
  jobs: jobsRouter,
  streams: streamsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller({ session })`. */
export const createCaller = createCallerFactory(appRouter);
