-- Admin analytics over a date range, read from indexes alone (index-only scans):
--  * per stream, ordered by viewer: distinct viewers per stream without hashing every session;
--  * by start time with the viewer and startup time: any range's sessions across streams
--    (distinct viewers, the daily series, the startup p95) without reading the table.
CREATE INDEX "viewer_sessions_stream_id_client_id_started_at_idx" ON "viewer_sessions"("stream_id", "client_id", "started_at");
CREATE INDEX "viewer_sessions_started_at_client_id_startup_ms_idx" ON "viewer_sessions"("started_at", "client_id", "startup_ms");
