import type { DeliveryDeps } from '../delivery/delivery-deps.ts';
import type { ErrorClass } from '../delivery/destination.ts';
import { withActiveSecrets } from '../delivery/secrets.ts';
import { AppError, notFound, validationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { EventType } from './catalogue.ts';
import { EVENT_CATALOGUE, isEventType } from './catalogue.ts';
import type { EventEnvelope } from './envelope.ts';

// "Send test": one sample event through an endpoint's destination, now, and
// the receiver's answer back to the caller. Nothing is stored: no event, no
// delivery row, so a test never shows up in the delivery log or a warehouse
// table as if it were real, and it works on a disabled endpoint too (that is
// when people need it).

/** 1 KiB of the receiver's body: enough to read an error message in an API answer. */
export const TEST_BODY_EXCERPT_CHARS = 1024;

export interface TestSendResult {
  ok: boolean;
  event: EventEnvelope;
  status: number | null;
  body_excerpt: string | null;
  duration_ms: number;
  error_class: ErrorClass | null;
  error: string | null;
}

type Deps = Pick<DeliveryDeps, 'storage' | 'clock' | 'destinations'>;

function parseTestBody(body: unknown): { eventType?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw validationError([{ field: '(body)', message: 'must be an object {"event_type": ...} or empty' }]);
  const unknown = Object.keys(body).filter((k) => k !== 'event_type');
  if (unknown.length > 0) throw validationError(unknown.map((field) => ({ field, message: 'unknown field' })));
  const eventType = (body as { event_type?: unknown }).event_type;
  if (eventType !== undefined && !isEventType(eventType)) throw validationError([{ field: 'event_type', message: 'is not an event type of the catalogue (see GET /api/v1/event-types)' }]);
  return eventType === undefined ? {} : { eventType };
}

/**
 * Sends the catalogue sample of `event_type` (default: the first type the
 * endpoint subscribes to) with a fresh id and timestamp, signed with the
 * endpoint's current secrets, exactly as a real delivery would be.
 */
export async function sendTestEvent(deps: Deps, workspaceId: string, endpointId: string, body: unknown): Promise<TestSendResult> {
  const { eventType } = parseTestBody(body);
  const endpoint = await deps.storage.endpoints.getById(workspaceId, endpointId);
  if (!endpoint) throw notFound('Endpoint', endpointId);
  const destination = deps.destinations.get(endpoint.kind);
  if (!destination) throw new AppError('validation_failed', `No destination adapter for kind ${endpoint.kind} in this server`, { fields: [{ field: 'kind', message: 'is not available' }] });
  const type = (eventType ?? endpoint.events.find(isEventType) ?? 'link.created') as EventType;
  const now = deps.clock.now();
  const sample = EVENT_CATALOGUE[type].sample;
  const event: EventEnvelope = { ...sample, id: newId('event', now.getTime()), timestamp: now.toISOString(), workspace_id: workspaceId };
  const result = await destination.send({ event, endpoint: withActiveSecrets(endpoint, now), webhookId: event.id, attempt: 1, state: deps.storage.destinationState });
  return {
    ok: result.ok,
    event,
    status: result.response?.status ?? null,
    body_excerpt: result.response ? result.response.body.slice(0, TEST_BODY_EXCERPT_CHARS) : null,
    duration_ms: result.durationMs,
    error_class: result.errorClass,
    error: result.error,
  };
}
