// localStorage that never throws: private modes, disabled storage or a full quota fall back to
// memory for this page, so tracking degrades instead of breaking the player.
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

export function safeStore(backing?: KeyValueStore | null): KeyValueStore {
  const mem = memoryStore();
  let store: KeyValueStore | null = null;
  try {
    store = backing ?? (typeof localStorage === "undefined" ? null : localStorage);
  } catch {
    store = null; // reading window.localStorage itself throws when storage is blocked
  }
  return {
    getItem(k) {
      try {
        return store ? store.getItem(k) : mem.getItem(k);
      } catch {
        return mem.getItem(k);
      }
    },
    setItem(k, v) {
      try {
        if (store) return store.setItem(k, v);
      } catch {
        /* quota or blocked: keep it in memory */
      }
      mem.setItem(k, v);
    },
    removeItem(k) {
      try {
        store?.removeItem(k);
      } catch {
        /* ignore */
      }
      mem.removeItem(k);
    },
  };
}

export const KEYS = { clientId: "ss.cid", seq: "ss.seq", queue: "ss.q" } as const;

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

/** The anonymous viewer id: random, created once, kept in localStorage. */
export function getClientId(store: KeyValueStore): string {
  const have = store.getItem(KEYS.clientId);
  if (have && ID_RE.test(have)) return have;
  let id = "";
  const c = globalThis.crypto;
  if (c?.randomUUID) id = c.randomUUID().replace(/-/g, "");
  else for (let i = 0; i < 24; i++) id += Math.floor(Math.random() * 36).toString(36);
  store.setItem(KEYS.clientId, id);
  return id;
}

/** The next seq for this clientId: persisted so it keeps growing across reloads. */
export function nextSeq(store: KeyValueStore): number {
  const n = Number(store.getItem(KEYS.seq));
  const next = Number.isSafeInteger(n) && n > 0 ? n + 1 : 1;
  store.setItem(KEYS.seq, String(next));
  return next;
}
