// The browser tracker: framework-free, no dependencies (its gzipped size is checked by
// `npm run size:tracker`).
export { createPlaybackTracker, apiEndpoint, type PlaybackTracker, type PlaybackTrackerOptions, type PlaybackState } from "./playback";
export { Sender, splitBatches } from "./sender";
export { safeStore, memoryStore, getClientId, nextSeq, KEYS, type KeyValueStore } from "./storage";
export { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, type Batch, type EventType, type TrackedEvent } from "~/contract";
