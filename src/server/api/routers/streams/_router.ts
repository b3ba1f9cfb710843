// streams.*: the public stream catalogue (the home page lists it).
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { listHandler } from "./list.handler";

export const streamsRouter = createTRPCRouter({
  list: publicProcedure.query(() => listHandler()),
});
