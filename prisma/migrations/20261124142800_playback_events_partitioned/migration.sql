-- playback_events becomes RANGE-partitioned by month on event_at (UTC months).
--
-- * Partitions live in their own schema, `event_partitions`, so Prisma (schema `public`) only ever
--   sees the parent table: partitions created later by the `partitions` job cause no drift.
-- * A DEFAULT partition takes any row no monthly partition covers, so no insert ever fails; the
--   `partitions` job moves such rows out when it creates their month's partition.
-- * A partitioned table cannot carry UNIQUE (client_id, seq) across partitions, so dedup of resent
--   batches moves to `playback_event_keys` (client_id, seq) PRIMARY KEY, written in the same
--   transaction as the events. Ingestion refuses events over 24 h old, so keys older than ~48 h
--   are pruned by the `partitions` job.
-- * The primary key becomes (id, event_at): a partitioned table's keys must include the partition key.
-- Existing rows are kept: new table, copy, swap, indexes, keys filled from the copied rows.

CREATE SCHEMA IF NOT EXISTS "event_partitions";

-- The old table steps aside; its sequence is kept (ids continue) and re-owned after the swap.
ALTER TABLE "playback_events" RENAME TO "playback_events_unpartitioned";
ALTER SEQUENCE "playback_events_id_seq" OWNED BY NONE;

CREATE TABLE "playback_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('"playback_events_id_seq"'),
    "stream_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "session_id" UUID,
    "seq" INTEGER NOT NULL,
    "type" "event_type" NOT NULL,
    "event_at" TIMESTAMPTZ(3) NOT NULL,
    "client_ts" BIGINT NOT NULL,
    "video_time" DOUBLE PRECISION NOT NULL,
    "extra" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
) PARTITION BY RANGE ("event_at");

CREATE TABLE "event_partitions"."playback_events_default" PARTITION OF "playback_events" DEFAULT;

-- A partition per UTC month that has rows, and the current month and the next two, so a fresh
-- installation has partitions before the job first runs.
DO $$
DECLARE
  m timestamptz;
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc('month', "event_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      FROM "playback_events_unpartitioned"
    UNION
    SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => k)
      FROM generate_series(0, 2) AS k
  LOOP
    EXECUTE format(
      'CREATE TABLE %I.%I PARTITION OF "playback_events" FOR VALUES FROM (%L) TO (%L)',
      'event_partitions',
      'playback_events_' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'),
      m,
      m + interval '1 month');
  END LOOP;
END $$;

INSERT INTO "playback_events" ("id", "stream_id", "client_id", "session_id", "seq", "type", "event_at", "client_ts", "video_time", "extra", "created_at")
SELECT "id", "stream_id", "client_id", "session_id", "seq", "type", "event_at", "client_ts", "video_time", "extra", "created_at"
  FROM "playback_events_unpartitioned";

CREATE TABLE "playback_event_keys" (
    "client_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "playback_event_keys_pkey" PRIMARY KEY ("client_id", "seq")
);

INSERT INTO "playback_event_keys" ("client_id", "seq", "stored_at")
SELECT "client_id", "seq", "created_at" FROM "playback_events_unpartitioned";

DROP TABLE "playback_events_unpartitioned";
ALTER SEQUENCE "playback_events_id_seq" OWNED BY "playback_events"."id";

-- Indexes after the copy (faster); created on the parent, they cascade to every partition.
ALTER TABLE "playback_events" ADD CONSTRAINT "playback_events_pkey" PRIMARY KEY ("id", "event_at");
CREATE INDEX "playback_events_stream_id_event_at_idx" ON "playback_events"("stream_id", "event_at");
CREATE INDEX "playback_events_session_id_event_at_idx" ON "playback_events"("session_id", "event_at");
CREATE INDEX "playback_events_created_at_idx" ON "playback_events"("created_at");
CREATE INDEX "playback_event_keys_stored_at_idx" ON "playback_event_keys"("stored_at");
