// Values inlined into SQL text, for statements sent several to a simple query (no parameters there):
// the ingestion writer's two round trips per group.
import pg from "pg";

export type SqlValue = string | number | boolean | null;

/** A PostgreSQL array literal of `values`, cast to `type[]`, safe to inline (pg's escapeLiteral). */
export function sqlArray(values: readonly SqlValue[], type: string): string {
  const items = values.map((v) => {
    if (v === null) return "NULL";
    if (typeof v === "string") return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error("non-finite number in a batch");
    return String(v);
  });
  return `${pg.escapeLiteral(`{${items.join(",")}}`)}::${type}[]`;
}
