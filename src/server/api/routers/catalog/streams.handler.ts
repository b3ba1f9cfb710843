import type { TStreamCreate, TStreamListInput, TStreamUpdate } from "~/catalog/schema";
import {
  archiveCatalogStream,
  createCatalogStream,
  getCatalogStream,
  listCatalogStreams,
  restoreCatalogStream,
  updateCatalogStream,
} from "~/catalog/streams";
import { asTRPC } from "./errors";

export const streamsHandler = ({ input }: { input: TStreamListInput }) => asTRPC(() => listCatalogStreams(input));
export const streamHandler = ({ input }: { input: { id: string } }) => asTRPC(() => getCatalogStream(input.id));
export const createStreamHandler = ({ input }: { input: TStreamCreate }) => asTRPC(() => createCatalogStream(input));
export const updateStreamHandler = ({ input }: { input: TStreamUpdate }) => asTRPC(() => updateCatalogStream(input));
export const archiveStreamHandler = ({ input }: { input: { id: string } }) => asTRPC(() => archiveCatalogStream(input.id));
export const restoreStreamHandler = ({ input }: { input: { id: string } }) => asTRPC(() => restoreCatalogStream(input.id));
