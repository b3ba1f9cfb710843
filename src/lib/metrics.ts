// Prometheus metrics (prom-client): one registry per process, shared through globalThis because
// the self-hosted server loads this module twice (once in Next's bundle, once for the fast path).
// GET /api/metrics exposes `registry`.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

interface IngestMetrics {
  registry: Registry;
  batches: Counter<"door" | "status">;
  events: Counter<"result">;
  duration: Histogram<"door">;
  groupBatches: Histogram;
  commitDuration: Histogram;
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
  };
}

export const metrics: IngestMetrics = (g.streamscopeMetrics ??= create());
export const registry = metrics.registry;
