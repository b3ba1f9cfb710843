// Streamscope's contract (docs/ingest-api.md, docs/metrics.md) as code: the one definition of the
// event vocabulary, the batch limits, the closed lists and the ratio formulas. Imports nothing:
// the tracker, ingestion, sessions, aggregation, the API and the UI all build on it.
export * from "./events";
export * from "./batch";
export * from "./catalog";
export * from "./extra";
export * from "./figures";
export * from "./stream";
export * from "./dedup";
