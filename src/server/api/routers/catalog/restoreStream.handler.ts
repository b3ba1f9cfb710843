import { restoreCatalogStream } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TRestoreStreamInput } from "./restoreStream.schema";

export const restoreStreamHandler = ({ input }: { input: TRestoreStreamInput }) => asTRPC(() => restoreCatalogStream(input.id));
