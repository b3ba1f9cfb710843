import { createCatalogStream } from "~/catalog/streams";
import { asTRPC } from "./errors";
import type { TCreateStreamInput } from "./createStream.schema";

export const createStreamHandler = ({ input }: { input: TCreateStreamInput }) => asTRPC(() => createCatalogStream(input));
