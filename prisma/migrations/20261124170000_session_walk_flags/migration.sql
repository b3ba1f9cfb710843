-- Two facts about each session's walk, kept by ingestion so neither a batch nor finalization has
-- to read the session's events again:
--  * saw_play: a `play` was walked (the first one decides startup_ms, even without a value);
--    until now each batch probed playback_events for it.
--  * needs_rewalk: false while every batch came after the session's last event, so the walk that
--    ingestion continued batch by batch is the walk over all events and finalizing can keep it;
--    true once events arrived out of order (then finalizing walks all events again). New rows
--    written by anything but ingestion default to true: they are walked when finalized.
ALTER TABLE "viewer_sessions" ADD COLUMN "needs_rewalk" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "saw_play" BOOLEAN NOT NULL DEFAULT false;

-- Existing rows: a play seen is what the probe answered; finalized sessions hold walked figures.
-- (With ClickHouse holding the events, the probe finds none here: startup_ms still tells most.)
UPDATE "viewer_sessions" v SET
  "saw_play" = v."startup_ms" IS NOT NULL OR EXISTS (
    SELECT 1 FROM "playback_events" e
    WHERE e."session_id" = v."id" AND e."type" = 'play' AND e."event_at" >= v."started_at" AND e."event_at" <= v."ended_at"),
  "needs_rewalk" = v."finalized_at" IS NULL;
