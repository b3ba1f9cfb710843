-- next-auth's database-adapter tables: never used. Sign-in is the credentials provider with JWT
-- sessions (src/server/auth.ts), which keep nothing in the database; `sessions` was also easy to
-- mistake for viewer_sessions.
DROP TABLE IF EXISTS "accounts";
DROP TABLE IF EXISTS "sessions";
DROP TABLE IF EXISTS "verification_tokens";
