import { Registry } from 'prom-client';
import type { Config } from '../../config/config.ts';
import { createDeliverySignal } from '../../domain/delivery/delivery-signal.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { createAnalyticsRollupWorker } from '../../worker/analytics-rollup-worker.ts';
import { createDeliveryWorker } from '../create-delivery-worker.ts';
import { createRuleEvaluatorWorker } from '../create-rule-evaluator.ts';
import { wireEvaluators } from '../wire-evaluators.ts';
import { createLifecycleSweeperWorker, wireMonitorEvaluators } from '../wire-monitors.ts';
import { createDnsResolver } from '../../adapters/dns/create-dns-resolver.ts';
import { createReportWorker } from '../create-report-worker.ts';
import { openStorage } from '../create-linkhook.ts';
import { wireDestinations } from '../wire-destinations.ts';

/**
 * `linkhook worker`: delivery workers, rule evaluation, schedulers and the
 * analytics rollup worker, no HTTP server. On PostgreSQL run
 * as many as the load needs (they share the queue with SKIP LOCKED); on
 * SQLite the server's in-process worker is the one worker.
 * SIGTERM/SIGINT: stop claiming, finish in-flight deliveries, give back the rest.
 */
export async function runWorker(config: Readonly<Config>): Promise<void> {
  const storage = await openStorage(config);
  await storage.migrate();
  const outbound = wireDestinations(config);
  const { destinations } = outbound;
  const signal = createDeliverySignal();
  const worker = createDeliveryWorker(config, { storage, clock: systemClock, destinations, signal, registry: new Registry() });
  worker.start();
  const reports = createReportWorker(config, { storage, clock: systemClock, signal });
  reports.start();
  const monitors = wireMonitorEvaluators(config, { storage, http: outbound.http, dns: createDnsResolver() });
  const rules = createRuleEvaluatorWorker(config, { storage, clock: systemClock, registry: wireEvaluators(monitors), signal });
  rules.start();
  const lifecycle = createLifecycleSweeperWorker(config, { storage, clock: systemClock, signal });
  lifecycle.start();
  // Analytics rollups: every worker runs one; the fold lease lets one fold at a time (docs/analytics.md).
  const rollups = createAnalyticsRollupWorker({ analytics: storage.analytics, clock: systemClock, onError: (err) => process.stderr.write(`analytics rollup failed: ${String(err)}\n`) });
  rollups.start();
  process.stdout.write(`linkhook worker ${worker.owner} delivering (${storage.dialect}, concurrency ${config.workerConcurrency})\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight deliveries...\n`);
    // A hard deadline past the worker's own 10 s grace: a stuck database must not hold a deploy forever.
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    Promise.all([reports.stop(), rules.stop(), lifecycle.stop(), rollups.stop()])
      .then(() => worker.stop())
      .then(async () => {
        await outbound.close();
        await storage.close();
        process.exit(0);
      })
      .catch((err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
