// tRPC for server components (create-t3-app's `api` on the server): the same procedures, access
// checks and inputs as the browser's, called in-process with the request's session. Pages read
// data only through it (imports point one way: pages → API → domain).
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

const context = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

/** The caller for this request: `const api = await serverApi(); await api.streams.list()`. */
export const serverApi = cache(async () => createCaller(await context()));
