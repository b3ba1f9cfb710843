-- Raw playback events when CLICKHOUSE_URL is set (docs/scaling.md). Sessions, streams, users, job
-- runs and Bunny rows stay in PostgreSQL.
--
-- Engine: ReplacingMergeTree keyed by (stream_id, client_id, seq). The ingestion contract's dedup
-- key is (client_id, seq); ingestion checks it before inserting (under the viewer's PostgreSQL
-- advisory lock, like ON CONFLICT DO NOTHING), and this engine collapses any copy that slips past
-- (a retried insert, a re-run backfill) at merge time; queries that need exactness read with FINAL.
-- The version column `version_ms` makes the newest copy win, which is also how the aggregation job
-- moves events to a new session when it splits one (it re-inserts them with the new session_id).
--
-- Order: a stream's events lie together, each viewer's events contiguous and in seq order (seq grows
-- with time per viewer), which is exactly what the per-session walk reads. Event time cannot be in
-- the key: a resent beacon's server time differs, so the copies would not collapse. Time ranges are
-- pruned by the monthly partitions; retention drops whole partitions (ClickHouse 18.16 has no TTL).
--
-- Times are Int64 milliseconds since the epoch (UTC): 18.16 has no DateTime64.
CREATE TABLE IF NOT EXISTS playback_events (
  stream_id String,
  client_id String,
  seq Int64,
  session_id UUID,
  type Enum8('play' = 1, 'pause' = 2, 'heartbeat' = 3, 'ended' = 4, 'error' = 5, 'buffer_start' = 6, 'buffer_end' = 7),
  event_ms Int64,
  client_ts Int64,
  video_time Float64,
  -- The event's `extra` as JSON text, '' when absent.
  extra String,
  -- extra.startupMs rounded, when it is a number between 0 and 2^31-1 (what the walk needs).
  startup_ms Nullable(Int64),
  created_ms Int64,
  version_ms UInt64
) ENGINE = ReplacingMergeTree(version_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(event_ms, 1000)), 'UTC')
ORDER BY (stream_id, client_id, seq)
SETTINGS index_granularity = 8192;
