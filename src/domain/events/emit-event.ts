import type { Endpoint } from '../delivery/endpoint.ts';
import type { NewDelivery } from '../delivery/ports.ts';
import { matchEndpoint } from '../delivery/match-endpoint.ts';
import type { Repos } from '../ports.ts';
import { newId } from '../shared/ids.ts';
import type { EventEnvelope } from './envelope.ts';

// The outbox: an event and its deliveries are written in the CALLER's
// transaction, with the change that caused them, so there is never a change
// without its event nor an event without its change, and a delivery row
// exists before anyone could miss it. Call notify() on the dispatcher's
// DeliverySignal after the transaction commits to deliver without waiting
// for its next poll.

/** Writes one event and its deliveries, inside `tx`. */
export async function emitEvent(tx: Repos, event: EventEnvelope): Promise<void> {
  await emitEvents(tx, [event]);
}

/**
 * Bulk form: one endpoint query for the whole call (not one per event), one
 * multi-row insert of events and one of deliveries.
 */
export async function emitEvents(tx: Repos, events: readonly EventEnvelope[], preloaded?: readonly Endpoint[]): Promise<void> {
  if (events.length === 0) return;
  await tx.events.insertMany([...events]);
  // `preloaded`: the caller already read listForFanOut for these workspaces in this transaction.
  const endpoints = preloaded ?? (await tx.endpoints.listForFanOut([...new Set(events.map((e) => e.workspace_id))]));
  if (endpoints.length === 0) return;
  const deliveries: NewDelivery[] = [];
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    for (const endpoint of endpoints) {
      if (!matchEndpoint(endpoint, event)) continue;
      deliveries.push({
        id: newId('delivery', at),
        eventId: event.id,
        endpointId: endpoint.id,
        workspaceId: event.workspace_id,
        eventType: event.type,
        // An endpoint disabled for failing keeps its deliveries, held until it recovers.
        status: endpoint.enabled ? 'pending' : 'held',
        createdAt: event.timestamp,
      });
    }
  }
  await tx.deliveries.insertMany(deliveries);
}
