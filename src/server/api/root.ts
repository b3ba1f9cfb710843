// The app's tRPC router: one sub-router per domain.
import { analyticsRouter } from "~/server/api/routers/analytics/_router";
import { bunnyRouter } from "~/server/api/routers/bunny/_router";
import { catalogRouter } from "~/server/api/routers/catalog/_router";
import { jobsRouter } from "~/server/api/routers/jobs/_router";
import { streamsRouter } from "~/server/api/routers/streams/_router";
import { tokensRouter } from "~/server/api/routers/tokens/_router";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  analytics: analyticsRouter,
  bunny: bunnyRouter,
  catalog: catalogRouter,
  jobs: jobsRouter,
  streams: streamsRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller({ session })`. */
export const createCaller = createCallerFactory(appRouter);
