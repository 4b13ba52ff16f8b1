import type { EventData } from '../events/catalogue.ts';
import { endpointSummary } from '../events/event-payloads.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import { newEvent } from '../events/new-event.ts';
import type { SendResult } from './destination.ts';
import type { Endpoint } from './endpoint.ts';

// The events the delivery engine itself emits about endpoints. They go to
// the workspace's OTHER endpoints subscribed to them (match-endpoint.ts skips
// the endpoint they are about), so an owner hears about a dead webhook on
// Slack or by email.

export type DisableReason = 'gone' | 'failing' | 'manual';

export function endpointDisabledEvent(endpoint: Endpoint, reason: DisableReason, now: Date, lastResult: SendResult | null): EventEnvelope {
  const data: EventData<'endpoint.disabled'> = {
    endpoint: endpointSummary(endpoint),
    reason,
    disabled_at: now.toISOString(),
    failing_since: endpoint.failingSince,
    last_error: lastResult && {
      status: lastResult.response?.status ?? null,
      error_class: lastResult.errorClass,
      message: lastResult.error,
    },
  };
  return newEvent('endpoint.disabled', endpoint.workspaceId, data, now);
}

export function endpointRecoveredEvent(endpoint: Endpoint, now: Date, replaying: number): EventEnvelope {
  const data: EventData<'endpoint.recovered'> = {
    endpoint: endpointSummary(endpoint),
    recovered_at: now.toISOString(),
    disabled_at: endpoint.disabledAt ?? now.toISOString(),
    replaying,
  };
  return newEvent('endpoint.recovered', endpoint.workspaceId, data, now);
}
