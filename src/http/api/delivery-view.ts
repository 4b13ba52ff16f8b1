import type { Delivery, DeliveryAttempt } from '../../domain/delivery/ports.ts';

// Deliveries and their attempt log as the API shows them (snake_case).
// Request headers in the log are already redacted by the destination
// adapters (Authorization, tokens); signatures stay, they are not secrets.

export function deliveryJson(d: Delivery) {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    endpoint_id: d.endpointId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_status: d.lastStatus,
    last_error: d.lastError,
    last_error_class: d.lastErrorClass,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    completed_at: d.completedAt,
  };
}

export function attemptJson(a: DeliveryAttempt) {
  return {
    n: a.n,
    at: a.at,
    request: a.request,
    response: a.response,
    duration_ms: a.durationMs,
    error_class: a.errorClass,
    error: a.error,
  };
}

export function deliveryWithAttemptsJson(d: Delivery, attempts: DeliveryAttempt[]) {
  return { ...deliveryJson(d), attempt_log: attempts.map(attemptJson) };
}
