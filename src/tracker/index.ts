// The browser tracker: framework-free, no dependencies (its gzipped size is checked by
// `npm run size:tracker`). Served as an ES module at /streamscope.mjs (built from this file) for
// bundlers and <script type="module">: track() attaches to a player like /streamscope.js does;
// the rest is for custom players (docs/tracker.md).
export { track, playerKind, type TrackOptions, type Tracking, type PlayerKind } from "./embed";
export { attachVideo } from "./adapters/video";
export { attachBunny } from "./adapters/bunny";
export { attachYouTube } from "./adapters/youtube";
export { createPlaybackTracker, apiEndpoint, type PlaybackTracker, type PlaybackTrackerOptions, type PlaybackState } from "./playback";
export { Sender, splitBatches } from "./sender";
export { safeStore, memoryStore, getClientId, nextSeq, KEYS, type KeyValueStore } from "./storage";
export { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, type Batch, type EventType, type TrackedEvent } from "~/contract";
