import { TRPCError } from "@trpc/server";
import { revokeToken } from "~/tokens/tokens";
import type { TRevokeInput } from "./revoke.schema";

/** Revokes for good: the REST API answers the token 401 from then on. */
export async function revokeHandler({ input }: { input: TRevokeInput }) {
  if (!(await revokeToken(input.id))) throw new TRPCError({ code: "NOT_FOUND", message: `No token with id "${input.id}".` });
  return { id: input.id, revoked: true };
}
