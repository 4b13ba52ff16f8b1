import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics linkhook exports at /metrics. */
export interface Metrics {
  redirects: Counter<'status'>;
  clicksRecorded: Counter;
  clickBatchSize: Histogram;
  clickCommitSeconds: Histogram;
  apiRequests: Counter<'method' | 'route' | 'status'>;
}

export function createMetrics(): { registry: Registry; metrics: Metrics } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'linkhook_' });
  const metrics: Metrics = {
    redirects: new Counter({ name: 'linkhook_redirects_total', help: 'Short-link requests answered, by HTTP status', labelNames: ['status'], registers: [registry] }),
    clicksRecorded: new Counter({ name: 'linkhook_clicks_recorded_total', help: 'Clicks committed to the click log', registers: [registry] }),
    clickBatchSize: new Histogram({
      name: 'linkhook_click_batch_size',
      help: 'Clicks per group commit',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    clickCommitSeconds: new Histogram({
      name: 'linkhook_click_commit_seconds',
      help: 'Time to commit one batch of clicks',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    apiRequests: new Counter({ name: 'linkhook_api_requests_total', help: 'API requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
  };
  return { registry, metrics };
}
