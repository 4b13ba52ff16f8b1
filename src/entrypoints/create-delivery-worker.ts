import type { Registry } from 'prom-client';
import type { Config } from '../config/config.ts';
import type { Destination } from '../domain/delivery/destination.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { EndpointKind } from '../domain/delivery/endpoint.ts';
import type { Storage } from '../domain/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { DeliveryDispatcher } from '../worker/delivery-dispatcher.ts';
import { createDeliveryDispatcher } from '../worker/delivery-dispatcher.ts';
import { createDeliveryMetrics } from '../worker/delivery-metrics.ts';

// Wiring of the delivery worker, shared by `linkhook serve` (in-process
// unless LINKHOOK_WORKER=false) and `linkhook worker` (workers alone).

export interface DeliveryWorkerParts {
  storage: Storage;
  clock: Clock;
  destinations: ReadonlyMap<EndpointKind, Destination>;
  signal: DeliverySignal;
  registry?: Registry;
  log?: (message: string) => void;
}

/**
 * The prober runs every 15 s: probes are due at minute granularity at the
 * earliest (probeGapMs), so a pass every 15 s is at most a quarter late.
 */
const PROBE_EVERY_MS = 15_000;

export function createDeliveryWorker(config: Readonly<Config>, parts: DeliveryWorkerParts): DeliveryDispatcher {
  const { storage, clock, destinations, signal, registry } = parts;
  const log = parts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return createDeliveryDispatcher({
    engine: {
      storage,
      clock,
      destinations,
      signal,
      disableAfterMs: config.endpointDisableAfterMs,
      leaseMs: config.deliveryLeaseMs,
      ...(registry ? { onAttempt: createDeliveryMetrics(registry) } : {}),
    },
    concurrency: config.workerConcurrency,
    pollMs: config.workerPollMs,
    probeEveryMs: PROBE_EVERY_MS,
    onError: (err) => log(`delivery worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
}
