import { QueryClient, defaultShouldDehydrateQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import superjson from "superjson";

// Errors the user cannot fix by asking again (signed out, forbidden, bad input, not found).
const FINAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "BAD_REQUEST", "NOT_FOUND"]);

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // One quiet retry for a network or server hiccup; the page shows an error with a retry
        // button after that.
        retry: (failures, error) => {
          if (error instanceof TRPCClientError && FINAL_CODES.has(String(error.data?.code))) return false;
          return failures < 1;
        },
      },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (q) => defaultShouldDehydrateQuery(q) || q.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
