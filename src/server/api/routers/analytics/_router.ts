// analytics.*: admin-only reads of the aggregated figures. One schema + handler file per procedure;
// the handlers only call the read model (src/analytics), which holds every query.
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { liveHandler } from "./live.handler";
import { ZLiveInput } from "./live.schema";
import { organizersHandler } from "./organizers.handler";
import { streamHandler } from "./stream.handler";
import { ZStreamInput } from "./stream.schema";
import { streamsHandler } from "./streams.handler";
import { ZStreamsInput } from "./streams.schema";
import { summaryHandler } from "./summary.handler";
import { ZSummaryInput } from "./summary.schema";

export const analyticsRouter = createTRPCRouter({
  streams: adminProcedure.input(ZStreamsInput).query((opts) => streamsHandler(opts)),
  summary: adminProcedure.input(ZSummaryInput).query((opts) => summaryHandler(opts)),
  stream: adminProcedure.input(ZStreamInput).query((opts) => streamHandler(opts)),
  live: adminProcedure.input(ZLiveInput).query((opts) => liveHandler(opts)),
  organizers: adminProcedure.query(() => organizersHandler()),
});
