import { TRPCError } from "@trpc/server";
import type { AuthSession } from "~/server/auth";
import { createToken, listTokens, revokeToken, type TTokenCreate } from "~/tokens/tokens";
import { asTRPC } from "../catalog/errors";

export const listTokensHandler = () => listTokens();

/** The clear token is in this answer only (the UI shows it once). */
export const createTokenHandler = ({ input, ctx }: { input: TTokenCreate; ctx: { session: AuthSession } }) =>
  asTRPC(() => createToken(input, ctx.session.user.id));

export async function revokeTokenHandler({ input }: { input: { id: string } }) {
  if (!(await revokeToken(input.id))) throw new TRPCError({ code: "NOT_FOUND", message: `No token with id "${input.id}".` });
  return { id: input.id, revoked: true };
}
