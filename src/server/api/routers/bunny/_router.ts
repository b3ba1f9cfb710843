// tRPC `bunny`: what Bunny Stream reports for a stream and the "Sync now" button, both admin-only
// like every analytics procedure. The work lives in src/bunny; the handlers map it to procedures
// and error codes (one schema + handler file per procedure).
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { forStreamHandler } from "./forStream.handler";
import { ZForStreamInput } from "./forStream.schema";
import { syncHandler } from "./sync.handler";
import { ZSyncInput } from "./sync.schema";

export const bunnyRouter = createTRPCRouter({
  forStream: adminProcedure.input(ZForStreamInput).query((opts) => forStreamHandler(opts)),
  sync: adminProcedure.input(ZSyncInput).mutation((opts) => syncHandler(opts)),
});
