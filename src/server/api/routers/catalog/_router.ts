// catalog.*: organizers and streams for the admin forms (create, edit, status, archive, restore).
// The inputs are the domain's schemas, shared with the REST API; handlers call src/catalog.
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { ZById, ZListInput, ZOrganizerCreate, ZOrganizerUpdate, ZStreamCreate, ZStreamListInput, ZStreamUpdate } from "./catalog.schema";
import {
  archiveOrganizerHandler,
  createOrganizerHandler,
  organizerChoicesHandler,
  organizerHandler,
  organizersHandler,
  restoreOrganizerHandler,
  updateOrganizerHandler,
} from "./organizers.handler";
import { archiveStreamHandler, createStreamHandler, restoreStreamHandler, streamHandler, streamsHandler, updateStreamHandler } from "./streams.handler";

export const catalogRouter = createTRPCRouter({
  organizers: adminProcedure.input(ZListInput).query(organizersHandler),
  organizerChoices: adminProcedure.query(organizerChoicesHandler),
  organizer: adminProcedure.input(ZById).query(organizerHandler),
  createOrganizer: adminProcedure.input(ZOrganizerCreate).mutation(createOrganizerHandler),
  updateOrganizer: adminProcedure.input(ZOrganizerUpdate).mutation(updateOrganizerHandler),
  archiveOrganizer: adminProcedure.input(ZById).mutation(archiveOrganizerHandler),
  restoreOrganizer: adminProcedure.input(ZById).mutation(restoreOrganizerHandler),
  streams: adminProcedure.input(ZStreamListInput).query(streamsHandler),
  stream: adminProcedure.input(ZById).query(streamHandler),
  createStream: adminProcedure.input(ZStreamCreate).mutation(createStreamHandler),
  updateStream: adminProcedure.input(ZStreamUpdate).mutation(updateStreamHandler),
  archiveStream: adminProcedure.input(ZById).mutation(archiveStreamHandler),
  restoreStream: adminProcedure.input(ZById).mutation(restoreStreamHandler),
});
