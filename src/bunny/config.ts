// Bunny settings, read from the environment at call time (so a route answers according to the
// variables the process has now, and tests can pass their own).
import { getPool } from "~/lib/db/pool";
import { DEFAULT_BUNNY_API_URL } from "./client";
import type { WatchTimeUnit } from "./statistics";

export interface BunnyConfig {
  apiUrl: string;
  apiKey: string | null;
  /** Default library for providers that do not name their own. */
  libraryId: string | null;
  watchTimeUnit: WatchTimeUnit;
}

const UNITS: Record<string, WatchTimeUnit> = { seconds: "seconds", milliseconds: "milliseconds", minutes: "minutes" };

function clean(v: string | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

export function bunnyConfig(env: NodeJS.ProcessEnv = process.env): BunnyConfig {
  const unitRaw = clean(env.BUNNY_WATCH_TIME_UNIT)?.toLowerCase();
  const unit = unitRaw ? UNITS[unitRaw] : "seconds";
  if (!unit) throw new Error(`BUNNY_WATCH_TIME_UNIT: "${unitRaw}" is not one of seconds, milliseconds, minutes`);
  return {
    apiUrl: clean(env.BUNNY_API_URL) ?? DEFAULT_BUNNY_API_URL,
    apiKey: clean(env.BUNNY_API_KEY),
    libraryId: clean(env.BUNNY_LIBRARY_ID),
    watchTimeUnit: unit,
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
