-- One row per job while a run of it holds the job (src/jobs/lease.ts): the holder renews
-- expires_at while it works and deletes the row when done; a holder that dies (killed process,
-- lost connection) stops renewing, and the next run takes the job over once expires_at has
-- passed. Replaces session advisory locks, which a dead holder's pooled connection could keep
-- and which exclude nothing on the embedded database (one session shared by every connection).
CREATE TABLE "job_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("name")
);
