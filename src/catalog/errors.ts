// What the catalogue refuses beyond the schemas' checks: an id that is not there (or not visible
// to the caller), a slug taken, a status move that is not allowed. `field` names the input at
// fault; the tRPC procedures and the REST API turn it into their own error shapes.
export type CatalogErrorKind = "not_found" | "conflict" | "invalid";

export class CatalogError extends Error {
  constructor(
    readonly kind: CatalogErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
