import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { Destination, ErrorClass } from './destination.ts';
import type { EndpointKind } from './endpoint.ts';
import type { DeliverySignal } from './delivery-signal.ts';
import type { DeliveryOutcome } from './ports.ts';

/** What happened to one claimed delivery, for metrics and logs. */
export interface AttemptReport {
  kind: EndpointKind;
  outcome: 'succeeded' | 'retrying' | 'failed' | 'held' | 'skipped' | 'postponed' | 'stale';
  durationMs: number;
  errorClass: ErrorClass | null;
  /** From the event's time to this success, for end-to-end latency. */
  lagMs: number | null;
}

/** What the delivery engine (dispatcher and prober) needs. */
export interface EngineDeps {
  storage: Storage;
  clock: Clock;
  destinations: ReadonlyMap<EndpointKind, Destination>;
  /** An endpoint failing without a single success for this long is disabled (LINKHOOK_ENDPOINT_DISABLE_AFTER). */
  disableAfterMs: number;
  /** How long a claimed delivery is a worker's (LINKHOOK_DELIVERY_LEASE_MS). */
  leaseMs: number;
  /** For retry jitter; tests pass a fixed one. Default Math.random. */
  random?: () => number;
  /** Told when the engine queued new work (endpoint.* events, recovery replay). */
  signal?: DeliverySignal;
  replayRatePerSecond?: number;
  onAttempt?(report: AttemptReport): void;
  /**
   * Ends an attempt outside a transaction. The dispatcher passes a
   * group-committing one (finish-batcher.ts); default storage.deliveries.finish.
   */
  finish?: (outcome: DeliveryOutcome) => Promise<boolean>;
}

/**
 * 60 s: the outbound client gives a request at most 15 s by default
 * (LINKHOOK_OUTBOUND_TIMEOUT_MS), so a live worker finishes well inside its lease, and a
 * crashed worker's deliveries are retried about a minute later.
 */
export const DEFAULT_LEASE_MS = 60_000;

/** 72 h: about the retry window (3.15 days on average), so an endpoint dead for a long weekend is switched off. */
export const DEFAULT_DISABLE_AFTER_MS = 72 * 60 * 60 * 1000;
