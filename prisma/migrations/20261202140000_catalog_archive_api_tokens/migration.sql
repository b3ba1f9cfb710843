-- Organizers and streams are archived, never deleted (their figures stay): archived_at hides them
-- from the catalogue's lists and from ingestion (an archived stream is refused like an unknown one)
-- until they are restored.
ALTER TABLE "organizers" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "streams" ADD COLUMN "archived_at" TIMESTAMPTZ(3);

-- API tokens for the REST API (/api/v1): only the SHA-256 of the token is kept; `prefix` (its first
-- characters) lets an admin recognise it. Revoked tokens stay listed with revoked_at.
CREATE TYPE "api_token_scope" AS ENUM ('read', 'write');

CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scope" "api_token_scope" NOT NULL,
    "organizer_id" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_tokens_organizer_id_fkey" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
CREATE INDEX "api_tokens_created_at_idx" ON "api_tokens"("created_at");
