import type { TRPCContext } from "~/server/api/trpc";

/** Every organizer, for the filter. */
export async function organizersHandler({ ctx }: { ctx: TRPCContext }) {
  return ctx.db.organizer.findMany({ select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
