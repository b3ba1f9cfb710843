// The browser tracker: framework-free, no dependencies (its gzipped size is checked by
// `npm run size:tracker`).
export { createPlaybackTracker, apiEndpoint, type PlaybackTracker, type PlaybackTrackerOptions, type PlaybackState } from "./playback";
export { Sender, splitBatches } from "./sender";
export { safeStore, memoryStore, getClientId, nextSeq, KEYS, type KeyValueStore } from "./storage";
export * from "./types";
