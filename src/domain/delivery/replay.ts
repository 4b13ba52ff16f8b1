import type { EventEnvelope } from '../events/envelope.ts';
import type { Repos } from '../ports.ts';
import { newId } from '../shared/ids.ts';
import { notFound, validationError } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import { REPLAY_RATE_PER_SECOND } from './delivery-deps.ts';
import { matchEndpoint } from './match-endpoint.ts';
import type { NewDelivery } from './ports.ts';
import { replayPaceMs } from './rate-limit.ts';

// Replay puts deliveries back in the queue as pending, with a fresh attempt
// budget and the same webhook-id (the event id), so a receiver that did get
// one after all can deduplicate. A delivery being sent right now is left alone.

type Deps = Pick<DeliveryDeps, 'storage' | 'clock' | 'signal' | 'replayRatePerSecond'>;

export interface ReplayResult {
  /** Deliveries put back in the queue (or created, for replayEvent). */
  requeued: number;
}

const REPLAYABLE = ['pending', 'retrying', 'succeeded', 'failed', 'held', 'skipped'] as const;

function done(deps: Deps, requeued: number): ReplayResult {
  if (requeued > 0) deps.signal?.notify();
  return { requeued };
}

/** One delivery, whatever its status (but not while it is being sent). */
export async function replayDelivery(deps: Deps, workspaceId: string, deliveryId: string): Promise<ReplayResult> {
  const now = deps.clock.now().toISOString();
  const n = await deps.storage.transaction(async (tx) => {
    const delivery = await tx.deliveries.getById(workspaceId, deliveryId);
    if (!delivery) throw notFound('Delivery', deliveryId);
    return tx.deliveries.requeue({ workspaceId, ids: [deliveryId], statuses: [...REPLAYABLE] }, now, 0);
  });
  return done(deps, n);
}

async function fanOutAgain(tx: Repos, event: EventEnvelope, now: string): Promise<number> {
  // Endpoints subscribed since the event was emitted get it too.
  const endpoints = (await tx.endpoints.listForFanOut([event.workspace_id])).filter((e) => e.enabled && matchEndpoint(e, event));
  const rows: NewDelivery[] = endpoints.map((e) => ({
    id: newId('delivery', Date.parse(now)),
    eventId: event.id,
    endpointId: e.id,
    workspaceId: event.workspace_id,
    eventType: event.type,
    status: 'pending',
    createdAt: now,
  }));
  return tx.deliveries.insertMany(rows); // existing (event, endpoint) pairs are ignored
}

/** One event to all its endpoints: every existing delivery of it, plus endpoints that match it now. */
export async function replayEvent(deps: Deps, workspaceId: string, eventId: string): Promise<ReplayResult> {
  const now = deps.clock.now().toISOString();
  const n = await deps.storage.transaction(async (tx) => {
    const event = await tx.events.getById(workspaceId, eventId);
    if (!event) throw notFound('Event', eventId);
    const requeued = await tx.deliveries.requeue({ workspaceId, eventId, statuses: [...REPLAYABLE] }, now, 0);
    return requeued + (await fanOutAgain(tx, event, now));
  });
  return done(deps, n);
}

/**
 * Every failed (given-up) delivery of an endpoint created since `since`,
 * oldest first, paced by the endpoint's rate limit (or the replay rate,
 * default 10/s, when it has none) so a receiver that was down is not flooded.
 */
export async function replayFailed(deps: Deps, workspaceId: string, endpointId: string, since: string): Promise<ReplayResult> {
  if (Number.isNaN(Date.parse(since))) throw validationError([{ field: 'since', message: 'must be an ISO 8601 date-time' }]);
  const now = deps.clock.now().toISOString();
  const n = await deps.storage.transaction(async (tx) => {
    const endpoint = await tx.endpoints.getById(workspaceId, endpointId);
    if (!endpoint) throw notFound('Endpoint', endpointId);
    const pace = replayPaceMs(endpoint, deps.replayRatePerSecond ?? REPLAY_RATE_PER_SECOND);
    return tx.deliveries.requeue({ workspaceId, endpointId, statuses: ['failed'], since: new Date(since).toISOString() }, now, pace);
  });
  return done(deps, n);
}
