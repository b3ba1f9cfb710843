// Types of scripts/buildTracker.mjs (plain JavaScript: next.config.mjs imports it).
export interface TrackerBundle {
  code: Uint8Array;
  inputs: string[];
}
export function buildTracker(opts?: { write?: boolean }): { script: TrackerBundle; esm: TrackerBundle };
