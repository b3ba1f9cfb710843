import { archiveCatalogStream } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TArchiveStreamInput } from "./archiveStream.schema";

export const archiveStreamHandler = ({ input }: { input: TArchiveStreamInput }) => asTRPC(() => archiveCatalogStream(input.id));
