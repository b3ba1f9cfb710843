// Prometheus metrics (prom-client): one registry per process, shared through globalThis because
// the self-hosted server loads this module twice (once in Next's bundle, once for the fast path).
// GET /api/metrics exposes `registry`.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type pg from "pg";

interface IngestMetrics {
  registry: Registry;
  batches: Counter<"door" | "status">;
  events: Counter<"result">;
  duration: Histogram<"door">;
  groupBatches: Histogram;
  commitDuration: Histogram;
  /** Refused batches by reason (content_type, rate_limited, too_large, invalid, event_time, unknown_stream, unavailable, method). */
  refused: Counter<"door" | "reason">;
  /** Events of refused batches whose events could be counted (the body parsed), by reason. */
  eventsRefused: Counter<"reason">;
  jobRuns: Counter<"job" | "status">;
  jobDuration: Histogram<"job" | "status">;
  jobLastSuccess: Gauge<"job">;
}

const g = globalThis as unknown as { streamscopeMetrics?: IngestMetrics };

function create(): IngestMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "streamscope_" });
  return {
    registry,
    batches: new Counter({
      name: "streamscope_ingest_batches_total",
      help: "Event batches answered by POST /api/analytics/events, by door (next|fast) and status code",
      labelNames: ["door", "status"],
      registers: [registry],
    }),
    events: new Counter({
      name: "streamscope_ingest_events_total",
      help: "Events received in valid batches: stored, duplicate (already stored) or bot (dropped)",
      labelNames: ["result"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "streamscope_ingest_request_duration_seconds",
      help: "Time from request to answer for POST /api/analytics/events",
      labelNames: ["door"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    groupBatches: new Histogram({
      name: "streamscope_ingest_group_commit_batches",
      help: "Batches written together in one group-commit transaction",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    commitDuration: new Histogram({
      name: "streamscope_ingest_transaction_duration_seconds",
      help: "Duration of one group-commit transaction, BEGIN to COMMIT",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    refused: new Counter({
      name: "streamscope_ingest_refused_batches_total",
      help: "Batches refused by POST /api/analytics/events, by door and reason",
      labelNames: ["door", "reason"],
      registers: [registry],
    }),
    eventsRefused: new Counter({
      name: "streamscope_ingest_refused_events_total",
      help: "Events in refused batches that parsed (invalid times, unknown stream, database unavailable), by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "streamscope_job_runs_total",
      help: "Job runs (aggregate, bunny-sync, partitions, retention) by outcome: succeeded, failed, skipped",
      labelNames: ["job", "status"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "streamscope_job_duration_seconds",
      help: "Duration of job runs by outcome",
      labelNames: ["job", "status"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    jobLastSuccess: new Gauge({
      name: "streamscope_job_last_success_timestamp_seconds",
      help: "When each job last succeeded in this process (Unix seconds)",
      labelNames: ["job"],
      registers: [registry],
    }),
  };
}

/** The process's pg pool, if one was opened (pool.ts keeps it on globalThis); read, never created. */
function currentPool(): pg.Pool | undefined {
  return (globalThis as unknown as { streamscopePool?: pg.Pool }).streamscopePool;
}

function poolGauge(registry: Registry, name: string, help: string, read: (p: pg.Pool) => number) {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const pool = currentPool();
      this.set(pool ? read(pool) : 0);
    },
  });
}

function addPoolGauges(registry: Registry) {
  poolGauge(registry, "streamscope_db_pool_connections", "Connections the pg pool holds (in use + idle)", (p) => p.totalCount);
  poolGauge(registry, "streamscope_db_pool_idle_connections", "Idle connections in the pg pool", (p) => p.idleCount);
  poolGauge(registry, "streamscope_db_pool_waiting_requests", "Queries waiting for a pg pool connection", (p) => p.waitingCount);
  poolGauge(registry, "streamscope_db_pool_max_connections", "The pg pool's maximum size", (p) => p.options.max ?? 10);
}

export const metrics: IngestMetrics = (g.streamscopeMetrics ??= (() => {
  const m = create();
  addPoolGauges(m.registry);
  return m;
})());
export const registry = metrics.registry;
