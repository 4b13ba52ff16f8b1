import type { EventEnvelope } from '../events/envelope.ts';
import type { Repos } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { Destination, SendResult } from './destination.ts';
import type { Endpoint } from './endpoint.ts';
import type { Delivery, DeliveryAttempt } from './ports.ts';
import { withActiveSecrets } from './secrets.ts';

/** What one attempt did, and its attempt-log row (written with the attempt's outcome, DeliveryOutcome.log). */
export interface SentAttempt {
  result: SendResult;
  log: DeliveryAttempt;
}

/**
 * One attempt through the endpoint's destination. An adapter that throws (a
 * bug) becomes an 'internal' failure like any other, so the delivery is
 * retried and the log says what happened. Nothing is written here: the log
 * row goes into the same transaction as the outcome (one commit per
 * delivery instead of two).
 */
export async function sendAttempt(
  repos: Pick<Repos, 'destinationState'>,
  clock: Clock,
  destination: Destination | undefined,
  delivery: Delivery,
  event: EventEnvelope,
  endpoint: Endpoint,
): Promise<SentAttempt> {
  const at = clock.now();
  let result: SendResult;
  if (!destination) {
    result = { ok: false, request: null, response: null, durationMs: 0, errorClass: 'config', error: `no destination adapter for kind ${endpoint.kind}`, permanent: true };
  } else {
    try {
      result = await destination.send({
        event,
        endpoint: withActiveSecrets(endpoint, at),
        webhookId: event.id,
        attempt: delivery.attempts,
        state: repos.destinationState,
      });
    } catch (err) {
      result = { ok: false, request: null, response: null, durationMs: 0, errorClass: 'internal', error: err instanceof Error ? err.message : String(err) };
    }
  }
  const log: DeliveryAttempt = {
    deliveryId: delivery.id,
    n: delivery.attempts,
    at: at.toISOString(),
    request: result.request,
    response: result.response,
    durationMs: result.durationMs,
    errorClass: result.errorClass,
    error: result.error,
  };
  return { result, log };
}
