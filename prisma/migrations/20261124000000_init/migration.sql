-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "stream_status" AS ENUM ('scheduled', 'live', 'ended');

-- CreateEnum
CREATE TYPE "provider_kind" AS ENUM ('bunny_stream', 'youtube');

-- CreateEnum
CREATE TYPE "event_type" AS ENUM ('play', 'pause', 'heartbeat', 'ended', 'error', 'buffer_start', 'buffer_end');

-- CreateEnum
CREATE TYPE "device_class" AS ENUM ('desktop', 'mobile', 'tablet', 'tv', 'other');

-- CreateEnum
CREATE TYPE "player_state" AS ENUM ('idle', 'playing', 'buffering', 'paused');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('running', 'succeeded', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('admin', 'user');

-- CreateTable
CREATE TABLE "organizers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organizers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "streams" (
    "id" TEXT NOT NULL,
    "organizer_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "stream_status" NOT NULL DEFAULT 'scheduled',
    "scheduled_start_at" TIMESTAMPTZ(3),
    "scheduled_end_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "streams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stream_providers" (
    "id" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "provider" "provider_kind" NOT NULL,
    "bunny_library_id" TEXT,
    "bunny_video_guid" TEXT,
    "bunny_playback_host" TEXT,
    "youtube_video_id" TEXT,
    "playback_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stream_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playback_events" (
    "id" BIGSERIAL NOT NULL,
    "stream_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "session_id" UUID,
    "seq" INTEGER NOT NULL,
    "type" "event_type" NOT NULL,
    "event_at" TIMESTAMPTZ(3) NOT NULL,
    "client_ts" BIGINT NOT NULL,
    "video_time" DOUBLE PRECISION NOT NULL,
    "extra" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "playback_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "viewer_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "stream_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "country" CHAR(2) NOT NULL DEFAULT 'ZZ',
    "device_class" "device_class" NOT NULL,
    "browser" TEXT,
    "os" TEXT,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "watch_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "buffer_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "has_error" BOOLEAN NOT NULL DEFAULT false,
    "startup_ms" INTEGER,
    "last_state" "player_state" NOT NULL DEFAULT 'idle',
    "finalized_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "viewer_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stream_stats" (
    "stream_id" TEXT NOT NULL,
    "unique_viewers" INTEGER NOT NULL DEFAULT 0,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "events" BIGINT NOT NULL DEFAULT 0,
    "total_watch_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "own_watch_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "bunny_watch_seconds" DOUBLE PRECISION,
    "bunny_views" INTEGER,
    "avg_watch_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "peak_concurrent_viewers" INTEGER NOT NULL DEFAULT 0,
    "peak_concurrent_at" TIMESTAMPTZ(3),
    "buffer_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "buffer_ratio" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error_sessions" INTEGER NOT NULL DEFAULT 0,
    "error_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "startup_ms_avg" DOUBLE PRECISION,
    "startup_ms_p95" DOUBLE PRECISION,
    "top_countries" JSONB NOT NULL DEFAULT '[]',
    "devices" JSONB NOT NULL DEFAULT '{}',
    "first_session_at" TIMESTAMPTZ(3),
    "last_event_at" TIMESTAMPTZ(3),
    "last_calculated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_stats_pkey" PRIMARY KEY ("stream_id")
);

-- CreateTable
CREATE TABLE "stream_daily_stats" (
    "stream_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "viewers" INTEGER NOT NULL DEFAULT 0,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "watch_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "buffer_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error_sessions" INTEGER NOT NULL DEFAULT 0,
    "startup_ms_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "startup_sessions" INTEGER NOT NULL DEFAULT 0,
    "peak_concurrent" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_daily_stats_pkey" PRIMARY KEY ("stream_id","day")
);

-- CreateTable
CREATE TABLE "stream_concurrency" (
    "stream_id" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "viewers" INTEGER NOT NULL,

    CONSTRAINT "stream_concurrency_pkey" PRIMARY KEY ("stream_id","minute")
);

-- CreateTable
CREATE TABLE "bunny_video_stats" (
    "id" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "library_id" TEXT NOT NULL,
    "video_guid" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    "watch_time_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "country_views" JSONB NOT NULL DEFAULT '{}',
    "country_watch_time" JSONB NOT NULL DEFAULT '{}',
    "engagement_score" DOUBLE PRECISION,
    "raw_payload" JSONB NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bunny_video_stats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'cli',
    "status" "job_status" NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "figures" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "email_verified" TIMESTAMPTZ(3),
    "image" TEXT,
    "password_hash" TEXT,
    "role" "user_role" NOT NULL DEFAULT 'user',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "organizers_slug_key" ON "organizers"("slug");

-- CreateIndex
CREATE INDEX "streams_organizer_id_idx" ON "streams"("organizer_id");

-- CreateIndex
CREATE INDEX "streams_status_idx" ON "streams"("status");

-- CreateIndex
CREATE INDEX "streams_created_at_idx" ON "streams"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "stream_providers_stream_id_key" ON "stream_providers"("stream_id");

-- CreateIndex
CREATE INDEX "stream_providers_provider_idx" ON "stream_providers"("provider");

-- CreateIndex
CREATE INDEX "playback_events_stream_id_event_at_idx" ON "playback_events"("stream_id", "event_at");

-- CreateIndex
CREATE INDEX "playback_events_session_id_event_at_idx" ON "playback_events"("session_id", "event_at");

-- CreateIndex
CREATE INDEX "playback_events_created_at_idx" ON "playback_events"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "playback_events_client_id_seq_key" ON "playback_events"("client_id", "seq");

-- CreateIndex
CREATE INDEX "viewer_sessions_stream_id_client_id_ended_at_idx" ON "viewer_sessions"("stream_id", "client_id", "ended_at" DESC);

-- CreateIndex
CREATE INDEX "viewer_sessions_stream_id_started_at_idx" ON "viewer_sessions"("stream_id", "started_at");

-- CreateIndex
CREATE INDEX "viewer_sessions_client_id_idx" ON "viewer_sessions"("client_id");

-- CreateIndex
CREATE INDEX "viewer_sessions_updated_at_idx" ON "viewer_sessions"("updated_at");

-- CreateIndex
CREATE INDEX "viewer_sessions_finalized_at_ended_at_idx" ON "viewer_sessions"("finalized_at", "ended_at");

-- CreateIndex
CREATE INDEX "stream_daily_stats_day_idx" ON "stream_daily_stats"("day");

-- CreateIndex
CREATE INDEX "stream_concurrency_minute_idx" ON "stream_concurrency"("minute");

-- CreateIndex
CREATE INDEX "bunny_video_stats_day_idx" ON "bunny_video_stats"("day");

-- CreateIndex
CREATE UNIQUE INDEX "bunny_video_stats_stream_id_day_key" ON "bunny_video_stats"("stream_id", "day");

-- CreateIndex
CREATE INDEX "job_runs_name_started_at_idx" ON "job_runs"("name", "started_at" DESC);

-- CreateIndex
CREATE INDEX "job_runs_started_at_idx" ON "job_runs"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- AddForeignKey
ALTER TABLE "streams" ADD CONSTRAINT "streams_organizer_id_fkey" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stream_providers" ADD CONSTRAINT "stream_providers_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "viewer_sessions" ADD CONSTRAINT "viewer_sessions_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stream_stats" ADD CONSTRAINT "stream_stats_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stream_daily_stats" ADD CONSTRAINT "stream_daily_stats_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stream_concurrency" ADD CONSTRAINT "stream_concurrency_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bunny_video_stats" ADD CONSTRAINT "bunny_video_stats_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

