// The Prisma schema and the migrated database agree: every model's table, every column's type and
// nullability, primary keys and enum values. Migrations are hand-applied SQL (see migrate.ts), so
// this is what catches a schema.prisma edit without its migration, or the other way round.
import fs from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { get_dmmf } = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  nativeType?: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string }[];
}

const dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync("prisma/schema.prisma", "utf8") })),
) as { datamodel: { models: DmmfModel[]; enums: DmmfEnum[] } };
const enums = new Map(dmmf.datamodel.enums.map((e) => [e.name, e]));

function expectedType(f: DmmfField): string {
  if (f.kind === "enum") return enums.get(f.type)?.dbName ?? f.type;
  const native = f.nativeType?.[0];
  if (native === "Timestamptz") return "timestamptz";
  if (native === "Date") return "date";
  if (native === "Uuid") return "uuid";
  if (native === "Char") return "bpchar";
  const base: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Float: "float8",
    Boolean: "bool",
    DateTime: "timestamp",
    Json: "jsonb",
  };
  return base[f.type] ?? `unknown:${f.type}`;
}

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe("schema.prisma ↔ migrated database", () => {
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    it(`${model.name} ↔ ${table}`, async () => {
      const { rows } = await client.query<{ column_name: string; udt_name: string; is_nullable: string }>(
        `SELECT column_name, udt_name, is_nullable FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1`,
        [table],
      );
      expect(rows.length, `table ${table} exists`).toBeGreaterThan(0);
      const columns = new Map(rows.map((r) => [r.column_name, r]));
      const scalars = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
      for (const f of scalars) {
        const col = columns.get(f.dbName ?? f.name);
        expect(col, `${table}.${f.dbName ?? f.name} exists`).toBeDefined();
        expect(col!.udt_name, `${table}.${f.dbName ?? f.name} type`).toBe(expectedType(f));
        expect(col!.is_nullable === "YES", `${table}.${f.dbName ?? f.name} nullability`).toBe(!f.isRequired);
      }
      const known = new Set(scalars.map((f) => f.dbName ?? f.name));
      expect([...columns.keys()].filter((c) => !known.has(c)), `columns of ${table} unknown to Prisma`).toEqual([]);

      const pk = await client.query<{ column_name: string }>(
        `SELECT a.attname AS column_name
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attname`,
        [`"${table}"`],
      );
      const pkFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
      const pkColumns = pkFields.map((n) => {
        const f = model.fields.find((x) => x.name === n)!;
        return f.dbName ?? f.name;
      });
      expect(pk.rows.map((r) => r.column_name).sort()).toEqual(pkColumns.sort());
    });
  }

  // What `prisma migrate diff` would report as drift: a table in Prisma's schema without a model.
  // Partitions of playback_events live in schema event_partitions, so the job can add them freely.
  it("every table in Prisma's schema has a model; partitions live outside it", async () => {
    const models = new Set(dmmf.datamodel.models.map((m) => m.dbName ?? m.name));
    const { rows } = await client.query<{ relname: string; relispartition: boolean }>(
      `SELECT c.relname, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
    );
    expect(rows.filter((r) => !models.has(r.relname)).map((r) => r.relname)).toEqual([]);
    expect(rows.filter((r) => r.relispartition).map((r) => r.relname)).toEqual([]);
    const parent = await client.query<{ relkind: string }>(`SELECT relkind::text FROM pg_class WHERE oid = 'playback_events'::regclass`);
    expect(parent.rows[0]!.relkind).toBe("p");
    const parts = await client.query<{ nspname: string }>(
      `SELECT DISTINCT n.nspname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = 'playback_events'::regclass`,
    );
    expect(parts.rows.map((r) => r.nspname)).toEqual(["event_partitions"]);
  });

  it("enums have the same values", async () => {
    for (const e of dmmf.datamodel.enums) {
      const { rows } = await client.query<{ enumlabel: string }>(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
         WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.dbName ?? e.name],
      );
      expect(rows.map((r) => r.enumlabel), `enum ${e.dbName ?? e.name}`).toEqual(e.values.map((v) => v.name));
    }
  });
});
