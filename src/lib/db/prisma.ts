// The Prisma client (Prisma 7, Rust-free, driver adapter over the shared pg pool).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getPool } from "./pool";

const globalForPrisma = globalThis as unknown as { streamscopePrisma?: PrismaClient };

function getPrisma(): PrismaClient {
  globalForPrisma.streamscopePrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return globalForPrisma.streamscopePrisma;
}

/** Lazily connected client: importing this module opens nothing. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getPrisma() as unknown as Record<string | symbol, unknown>;
    const value = client[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});

export async function disconnectPrisma(): Promise<void> {
  const client = globalForPrisma.streamscopePrisma;
  globalForPrisma.streamscopePrisma = undefined;
  await client?.$disconnect();
}
