-- Admin analytics: distinct viewers over a date range without hashing every session. Both indexes
-- hand the rows over already ordered by viewer (per stream, and across streams), so PostgreSQL
-- counts distinct clientIds with an index-only scan and a Unique step.
CREATE INDEX "viewer_sessions_stream_id_client_id_started_at_idx" ON "viewer_sessions"("stream_id", "client_id", "started_at");
CREATE INDEX "viewer_sessions_client_id_started_at_stream_id_idx" ON "viewer_sessions"("client_id", "started_at", "stream_id");
