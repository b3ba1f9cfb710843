// Which database this process talks to: DATABASE_URL when set, otherwise the embedded PGlite.
// Command-line entry points (server, migrations, jobs, seed, studio) call ensureDatabaseUrl()
// before anything opens a connection; it records the embedded database's URL in the environment
// (recordEmbeddedDatabase), so the app code then only reads env.DATABASE_URL.
import { env, recordEmbeddedDatabase } from "~/env";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";

let embedded: Promise<EmbeddedDatabase> | undefined;

export function isEmbedded(): boolean {
  return env.STREAMSCOPE_EMBEDDED_DB;
}

export async function ensureDatabaseUrl(): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv && !isEmbedded()) return { url: fromEnv, embedded: false, stop: async () => {} };
  embedded ??= startEmbeddedDatabase({ dataDir: env.EMBEDDED_DB_DIR, port: env.EMBEDDED_DB_PORT });
  const db = await embedded;
  recordEmbeddedDatabase(db.url);
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
