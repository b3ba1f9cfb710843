import { listCatalogStreams } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TStreamsInput } from "./streams.schema";

export const streamsHandler = ({ input }: { input: TStreamsInput }) => asTRPC(() => listCatalogStreams(input));
