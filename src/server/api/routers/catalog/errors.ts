// A catalogue refusal as a tRPC error: its code, and the field it names in the same
// `zodError.fieldErrors` shape the schemas' own errors have, so a form shows both the same way.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CatalogError } from "~/catalog/errors";
import { TokenInputError } from "~/tokens/tokens";

const CODES = { not_found: "NOT_FOUND", conflict: "CONFLICT", invalid: "BAD_REQUEST" } as const;

export async function asTRPC<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CatalogError || err instanceof TokenInputError) {
      const field = err.field;
      const code = err instanceof CatalogError ? CODES[err.kind] : "BAD_REQUEST";
      throw new TRPCError({
        code,
        message: field ? `${field}: ${err.message}` : err.message,
        cause: field ? fieldError(field, err.message) : undefined,
      });
    }
    throw err;
  }
}

/** A ZodError naming one field, made by a parse (so it is the class the error formatter knows). */
function fieldError(field: string, message: string) {
  return z
    .unknown()
    .superRefine((_v, ctx) => ctx.addIssue({ code: "custom", path: [field], message }))
    .safeParse(null).error;
}
