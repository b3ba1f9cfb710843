-- Viewers whose sessions the door may have cut wrongly: it received an event earlier than the
-- viewer's latest stored one (a late retry, batches in another order). The aggregation job
-- re-sessionizes each such viewer's events around [from_at, to_at] (merge, split, walk again)
-- under the same per-(stream, client) lock the door takes, then deletes the row.
CREATE TABLE "viewer_session_flags" (
    "stream_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,
    "flagged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "viewer_session_flags_pkey" PRIMARY KEY ("stream_id","client_id")
);
