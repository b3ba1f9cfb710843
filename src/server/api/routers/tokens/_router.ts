// tokens.*: the REST API's bearer tokens (admins create, list and revoke them).
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { createTokenHandler, listTokensHandler, revokeTokenHandler } from "./tokens.handler";
import { ZTokenCreate, ZTokenRevoke } from "./tokens.schema";

export const tokensRouter = createTRPCRouter({
  list: adminProcedure.query(listTokensHandler),
  create: adminProcedure.input(ZTokenCreate).mutation(createTokenHandler),
  revoke: adminProcedure.input(ZTokenRevoke).mutation(revokeTokenHandler),
});
