import type { NewDelivery } from '../delivery/ports.ts';
import type { Repos } from '../ports.ts';
import { newId } from '../shared/ids.ts';
import type { EventEnvelope } from './envelope.ts';

// The targeted outbox: an event delivered to endpoints NAMED by the caller
// (an alert rule's endpoints), not to every endpoint subscribed to its type.
// Naming an endpoint in a rule is the subscription, so its `events` list and
// its filter are not consulted — a Slack channel named by a rule gets the
// rule's alerts even if it subscribes to nothing else. What still holds:
// - the endpoint must belong to the event's workspace (else it is ignored);
// - an endpoint disabled for failing gets the delivery `held` (sent when it
//   recovers); one disabled by hand or for answering 410 gets nothing, as
//   with emitEvents (it is not in listForFanOut).
// Same transaction as the caller's change, like emitEvents.

/** Writes the events and one delivery per (event, named endpoint) inside `tx`; returns the endpoint ids served. */
export async function emitEventTo(tx: Repos, events: readonly EventEnvelope[], endpointIds: readonly string[]): Promise<string[]> {
  if (events.length === 0) return [];
  await tx.events.insertMany([...events]);
  if (endpointIds.length === 0) return [];
  const endpoints = (await tx.endpoints.getMany([...endpointIds])).filter((e) => e.enabled || e.disabledReason === 'failing');
  const deliveries: NewDelivery[] = [];
  const served = new Set<string>();
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    for (const endpoint of endpoints) {
      if (endpoint.workspaceId !== event.workspace_id) continue;
      served.add(endpoint.id);
      deliveries.push({
        id: newId('delivery', at),
        eventId: event.id,
        endpointId: endpoint.id,
        workspaceId: event.workspace_id,
        eventType: event.type,
        status: endpoint.enabled ? 'pending' : 'held',
        createdAt: event.timestamp,
      });
    }
  }
  await tx.deliveries.insertMany(deliveries);
  return [...served];
}
