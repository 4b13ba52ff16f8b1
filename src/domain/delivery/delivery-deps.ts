import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { FieldProblem } from '../shared/errors.ts';
import type { Destination } from './destination.ts';
import type { EndpointKind } from './endpoint.ts';
import type { DeliverySignal } from './delivery-signal.ts';

/** What the endpoint, delivery-log and replay use cases need from the outside. */
export interface DeliveryDeps {
  storage: Storage;
  clock: Clock;
  /** One adapter per kind; endpoint settings are validated by its validate(). */
  destinations: ReadonlyMap<EndpointKind, Destination>;
  /**
   * The SSRF guard's verdict on an endpoint URL (adapters/outbound:
   * createOutboundGuard(allow).check): null when allowed, else the problem
   * (private, loopback, link-local or metadata address not in LINKHOOK_OUTBOUND_ALLOW).
   */
  checkOutboundUrl(url: string): Promise<FieldProblem | null>;
  /** Wakes this process's dispatcher after a replay; optional (it polls anyway). */
  signal?: DeliverySignal;
  /** How long a rotated-out secret keeps signing. Default 24 h (SECRET_OVERLAP_MS). */
  secretOverlapMs?: number;
  /** Pace of replays to endpoints without a rate limit, per second. Default 10 (REPLAY_RATE_PER_SECOND). */
  replayRatePerSecond?: number;
}

/** 24 h: a receiver deploying the new secret has a full day in which both verify. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * Replays and the post-recovery catch-up go at most this fast to an endpoint
 * with no rate limit of its own: 10/s drains a day of one-per-10-seconds
 * traffic (8,640 deliveries) in under 15 minutes without flooding a receiver
 * that just came back.
 */
export const REPLAY_RATE_PER_SECOND = 10;
