// Bunny settings, read from the environment at call time (so a route answers according to the
// variables the process has now, and tests can set their own). Defaults and checks: src/env.ts.
import { env } from "~/env";
import { getPool } from "~/lib/db/pool";
import type { WatchTimeUnit } from "./statistics";

export interface BunnyConfig {
  apiUrl: string;
  apiKey: string | null;
  /** Default library for providers that do not name their own. */
  libraryId: string | null;
  watchTimeUnit: WatchTimeUnit;
}

/** Throws EnvError naming a malformed variable (BUNNY_WATCH_TIME_UNIT=hours). */
export function bunnyConfig(): BunnyConfig {
  return {
    watchTimeUnit: env.BUNNY_WATCH_TIME_UNIT,
    apiUrl: env.BUNNY_API_URL,
    apiKey: env.BUNNY_API_KEY ?? null,
    libraryId: env.BUNNY_LIBRARY_ID ?? null,
  };
}

/** The variables whose absence stops the sync, given how many Bunny providers name a library. */
export function missingSettings(config: BunnyConfig, providersWithLibrary: number): string[] {
  const missing: string[] = [];
  if (!config.apiKey) missing.push("BUNNY_API_KEY");
  if (!config.libraryId && providersWithLibrary === 0) missing.push("BUNNY_LIBRARY_ID");
  return missing;
}

/**
 * missingSettings against the database: BUNNY_API_KEY always; BUNNY_LIBRARY_ID only when no Bunny
 * provider names its own library. Empty when the sync can run.
 */
export async function missingBunnySettings(config: BunnyConfig): Promise<string[]> {
  if (config.libraryId) return missingSettings(config, 0);
  const { rows } = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stream_providers
      WHERE provider = 'bunny_stream' AND coalesce(trim(bunny_library_id), '') <> ''`,
  );
  return missingSettings(config, rows[0]?.n ?? 0);
}

export function missingMessage(missing: string[]): string {
  return `Bunny sync is not configured: set ${missing.join(" and ")}${
    missing.includes("BUNNY_LIBRARY_ID") ? " (or a library id on each Bunny stream's provider)" : ""
  }`;
}
