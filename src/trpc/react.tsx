"use client";
// The browser side of tRPC, as create-t3-app has it: `api` (createTRPCReact: api.x.y.useQuery,
// api.useUtils()) and TRPCReactProvider, which gives the admin pages one TanStack Query client.
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { httpBatchLink, loggerLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { makeQueryClient } from "./queryClient";

export const api = createTRPCReact<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  // The server renders with a fresh client per request; the browser keeps one.
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

/** `logErrors`: log failed calls in the console (development; the server layout decides). */
export function TRPCReactProvider({ children, logErrors = false }: { children: React.ReactNode; logErrors?: boolean }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [
        loggerLink({ enabled: (op) => logErrors && op.direction === "down" && op.result instanceof Error }),
        httpBatchLink({
          url: "/api/trpc",
          transformer: superjson,
          headers: () => ({ "x-trpc-source": "react" }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <api.Provider client={trpcClient} queryClient={queryClient}>
        {children}
      </api.Provider>
    </QueryClientProvider>
  );
}
