// catalog.*: organizers and streams for the admin forms (create, edit, status, archive, restore).
// One *.schema.ts + *.handler.ts per procedure; the schemas are the domain's (src/catalog/schema.ts),
// shared with the REST API; the handlers call src/catalog.
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { organizersHandler } from "./organizers.handler";
import { ZOrganizersInput } from "./organizers.schema";
import { organizerChoicesHandler } from "./organizerChoices.handler";
import { organizerHandler } from "./organizer.handler";
import { ZOrganizerInput } from "./organizer.schema";
import { createOrganizerHandler } from "./createOrganizer.handler";
import { ZCreateOrganizerInput } from "./createOrganizer.schema";
import { updateOrganizerHandler } from "./updateOrganizer.handler";
import { ZUpdateOrganizerInput } from "./updateOrganizer.schema";
import { archiveOrganizerHandler } from "./archiveOrganizer.handler";
import { ZArchiveOrganizerInput } from "./archiveOrganizer.schema";
import { restoreOrganizerHandler } from "./restoreOrganizer.handler";
import { ZRestoreOrganizerInput } from "./restoreOrganizer.schema";
import { streamsHandler } from "./streams.handler";
import { ZStreamsInput } from "./streams.schema";
import { streamHandler } from "./stream.handler";
import { ZStreamInput } from "./stream.schema";
import { createStreamHandler } from "./createStream.handler";
import { ZCreateStreamInput } from "./createStream.schema";
import { updateStreamHandler } from "./updateStream.handler";
import { ZUpdateStreamInput } from "./updateStream.schema";
import { archiveStreamHandler } from "./archiveStream.handler";
import { ZArchiveStreamInput } from "./archiveStream.schema";
import { restoreStreamHandler } from "./restoreStream.handler";
import { ZRestoreStreamInput } from "./restoreStream.schema";

export const catalogRouter = createTRPCRouter({
  organizers: adminProcedure.input(ZOrganizersInput).query(organizersHandler),
  organizerChoices: adminProcedure.query(organizerChoicesHandler),
  organizer: adminProcedure.input(ZOrganizerInput).query(organizerHandler),
  createOrganizer: adminProcedure.input(ZCreateOrganizerInput).mutation(createOrganizerHandler),
  updateOrganizer: adminProcedure.input(ZUpdateOrganizerInput).mutation(updateOrganizerHandler),
  archiveOrganizer: adminProcedure.input(ZArchiveOrganizerInput).mutation(archiveOrganizerHandler),
  restoreOrganizer: adminProcedure.input(ZRestoreOrganizerInput).mutation(restoreOrganizerHandler),
  streams: adminProcedure.input(ZStreamsInput).query(streamsHandler),
  stream: adminProcedure.input(ZStreamInput).query(streamHandler),
  createStream: adminProcedure.input(ZCreateStreamInput).mutation(createStreamHandler),
  updateStream: adminProcedure.input(ZUpdateStreamInput).mutation(updateStreamHandler),
  archiveStream: adminProcedure.input(ZArchiveStreamInput).mutation(archiveStreamHandler),
  restoreStream: adminProcedure.input(ZRestoreStreamInput).mutation(restoreStreamHandler),
});
