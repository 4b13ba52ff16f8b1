import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { AttemptReport } from '../domain/delivery/engine-deps.ts';

/**
 * Delivery metrics on the /metrics registry: attempts by kind and outcome,
 * attempt duration by kind, and event-to-delivery latency of successes (the
 * benchmark's p99 target is under 1 s, so the buckets are dense there).
 * Returns the engine's onAttempt hook.
 */
export function createDeliveryMetrics(registry: Registry): (report: AttemptReport) => void {
  const attempts = new Counter({
    name: 'linkhook_delivery_attempts_total',
    help: 'Claimed deliveries by endpoint kind and outcome (succeeded, retrying, failed, held, skipped, postponed, stale)',
    labelNames: ['kind', 'outcome', 'error_class'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'linkhook_delivery_attempt_seconds',
    help: 'Duration of one delivery attempt (the request to the receiver)',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'linkhook_delivery_latency_seconds',
    help: 'From the event to its successful delivery',
    labelNames: ['kind'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600],
    registers: [registry],
  });
  return (r) => {
    attempts.inc({ kind: r.kind, outcome: r.outcome, error_class: r.errorClass ?? '' });
    if (r.outcome === 'succeeded' || r.outcome === 'retrying' || r.outcome === 'failed') seconds.observe({ kind: r.kind }, r.durationMs / 1000);
    if (r.lagMs !== null) latency.observe({ kind: r.kind }, Math.max(0, r.lagMs) / 1000);
  };
}
