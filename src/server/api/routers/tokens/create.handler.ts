import type { AuthSession } from "~/server/auth";
import { createToken } from "~/tokens/tokens";
import { asTRPC } from "../catalog/errors";
import type { TCreateInput } from "./create.schema";

/** The clear token is in this answer only (the UI shows it once). */
export const createHandler = ({ input, ctx }: { input: TCreateInput; ctx: { session: AuthSession } }) => asTRPC(() => createToken(input, ctx.session.user.id));
