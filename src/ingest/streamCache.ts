// Does a stream exist? Asked for every batch, answered from memory for a few seconds: a known
// stream for 30 s, an unknown one for 5 s (a stream created a moment ago is found soon). Lookups
// for the same id in flight at once share one query.
import type pg from "pg";

export interface StreamCache {
  exists(streamId: string): Promise<boolean>;
  forget(streamId: string): void;
  clear(): void;
}

export function createStreamCache(opts: {
  pool: () => pg.Pool;
  knownTtlMs?: number;
  unknownTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}): StreamCache {
  const knownTtl = opts.knownTtlMs ?? 30_000;
  const unknownTtl = opts.unknownTtlMs ?? 5_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { exists: boolean; until: number }>();
  const inFlight = new Map<string, Promise<boolean>>();

  async function load(streamId: string): Promise<boolean> {
    // Unnamed statement: a named one lives in the session, and on the embedded database every
    // pool connection shares one session (preparing the name twice failed every batch).
    const { rowCount } = await opts.pool().query("SELECT 1 FROM streams WHERE id = $1 AND archived_at IS NULL", [streamId]);
    const exists = (rowCount ?? 0) > 0;
    // Unknown ids are attacker-controlled: never let them evict everything else.
    if (entries.size >= maxEntries) entries.clear();
    entries.set(streamId, { exists, until: now() + (exists ? knownTtl : unknownTtl) });
    return exists;
  }

  return {
    exists(streamId) {
      const hit = entries.get(streamId);
      if (hit && hit.until > now()) return Promise.resolve(hit.exists);
      let p = inFlight.get(streamId);
      if (!p) {
        p = load(streamId).finally(() => inFlight.delete(streamId));
        inFlight.set(streamId, p);
      }
      return p;
    },
    forget(streamId) {
      entries.delete(streamId);
    },
    clear() {
      entries.clear();
    },
  };
}
