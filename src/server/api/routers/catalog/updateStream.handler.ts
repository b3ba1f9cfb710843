import { updateCatalogStream } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TUpdateStreamInput } from "./updateStream.schema";

export const updateStreamHandler = ({ input }: { input: TUpdateStreamInput }) => asTRPC(() => updateCatalogStream(input));
