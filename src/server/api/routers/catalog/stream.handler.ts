import { getCatalogStream } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TStreamInput } from "./stream.schema";

export const streamHandler = ({ input }: { input: TStreamInput }) => asTRPC(() => getCatalogStream(input.id));
