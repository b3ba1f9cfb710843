"use client";

// The viewer's control over the random viewer id (docs/privacy.md): shows whether this browser has
// one and deletes it, with the tracker's sequence counter and unsent queue, so the next stream
// watched starts a new, unrelated id. Nothing is sent to the server.
import { useState, useSyncExternalStore } from "react";
import { KEYS, safeStore } from "~/tracker/storage";

// The id lives in localStorage: read it as an external store (other tabs: the storage event).
const listeners = new Set<() => void>();
function subscribe(onChange: () => void) {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}
const readId = () => safeStore().getItem(KEYS.clientId);
// On the server there is no browser storage: render nothing until hydrated.
const noId = () => undefined;

export function ResetViewerId() {
  const id = useSyncExternalStore<string | null | undefined>(subscribe, readId, noId);
  const [done, setDone] = useState(false);

  function reset() {
    const store = safeStore();
    for (const key of Object.values(KEYS)) store.removeItem(key);
    for (const l of listeners) l();
    setDone(true);
  }

  if (id === undefined) return null;
  return (
    <div className="card" data-testid="reset-viewer-id">
      <p className="viewer-id-status">
        {id ? (
          <>
            This browser&apos;s viewer id: <code data-testid="viewer-id">{id}</code>
          </>
        ) : (
          <>This browser has no viewer id at the moment.</>
        )}
      </p>
      <button type="button" onClick={reset} disabled={!id}>
        Reset my viewer id
      </button>
      {done && (
        <p role="status" className="muted">
          Done. The next stream you watch starts a new, unrelated viewer id.
        </p>
      )}
    </div>
  );
}
