// tokens.*: the REST API's bearer tokens (admins create, list and revoke them). One *.schema.ts +
// *.handler.ts per procedure; the handlers call src/tokens.
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { createHandler } from "./create.handler";
import { ZCreateInput } from "./create.schema";
import { listHandler } from "./list.handler";
import { revokeHandler } from "./revoke.handler";
import { ZRevokeInput } from "./revoke.schema";

export const tokensRouter = createTRPCRouter({
  list: adminProcedure.query(listHandler),
  create: adminProcedure.input(ZCreateInput).mutation(createHandler),
  revoke: adminProcedure.input(ZRevokeInput).mutation(revokeHandler),
});
