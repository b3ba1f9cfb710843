// Prisma 7 CLI configuration. `prisma generate` and `prisma studio` read it; migrations are applied
// by scripts/migrate.ts (Prisma's migrate commands need a native engine we cannot download).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
