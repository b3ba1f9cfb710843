// Which database this process talks to: DATABASE_URL when set, otherwise the embedded PGlite.
// Command-line entry points (server, migrations, jobs, seed, studio) call ensureDatabaseUrl()
// before anything opens a connection; the app code then only reads process.env.DATABASE_URL.
import { startEmbeddedDatabase, EMBEDDED_DEFAULT_PORT, type EmbeddedDatabase } from "./embedded";

let embedded: Promise<EmbeddedDatabase> | undefined;

export function isEmbedded(): boolean {
  return process.env.STREAMSCOPE_EMBEDDED_DB === "1";
}

export async function ensureDatabaseUrl(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv && !isEmbedded()) return { url: fromEnv, embedded: false, stop: async () => {} };
  embedded ??= startEmbeddedDatabase({
    dataDir: process.env.EMBEDDED_DB_DIR || undefined,
    port: process.env.EMBEDDED_DB_PORT ? Number(process.env.EMBEDDED_DB_PORT) : EMBEDDED_DEFAULT_PORT,
  });
  const db = await embedded;
  process.env.DATABASE_URL = db.url;
  process.env.STREAMSCOPE_EMBEDDED_DB = "1";
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
