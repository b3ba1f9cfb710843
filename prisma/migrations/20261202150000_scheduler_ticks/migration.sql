-- The last tick of each scheduled job that a scheduler claimed (src/jobs/scheduler.ts): every
-- process running the scheduler (`npm start`, `npm run worker`, several replicas) fires on the
-- same schedule, and the one whose claim moves `tick` forward runs the job; the others let it go.
-- The job lease (job_leases) keeps runs from overlapping; this keeps one tick from running twice.
CREATE TABLE "scheduler_ticks" (
    "job" TEXT NOT NULL,
    "tick" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduler_ticks_pkey" PRIMARY KEY ("job")
);
