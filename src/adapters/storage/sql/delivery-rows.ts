import type { Insertable, Selectable } from 'kysely';
import type { Delivery, DeliveryAttempt, DeliveryStatus, IdempotencyRecord } from '../../../domain/delivery/ports.ts';
import type { ErrorClass } from '../../../domain/delivery/destination.ts';
import type { Endpoint, EndpointClass, EndpointKind } from '../../../domain/delivery/endpoint.ts';
import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import type { DeliveriesTable, DeliveryAttemptsTable, EndpointsTable, EventsTable, IdempotencyKeysTable } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { parseJson, toIso, toIsoOrNull, toMs, toMsOrNull } from './row-mapping.ts';

// Events, endpoints, deliveries and attempts <-> rows (conventions in database.ts).

export function eventToRow(e: EventEnvelope): Insertable<EventsTable> {
  return { id: e.id, workspace_id: e.workspace_id, type: e.type, ts: toMs(e.timestamp), payload: JSON.stringify(e) };
}

export function eventFromRow(r: Pick<Selectable<EventsTable>, 'payload'>): EventEnvelope {
  return parseJson<EventEnvelope>(r.payload);
}

export function endpointToRow(x: Endpoint, d: Pick<SqlDialect, 'bool'>): Insertable<EndpointsTable> {
  return {
    id: x.id,
    workspace_id: x.workspaceId,
    kind: x.kind,
    name: x.name,
    url: x.url,
    settings: JSON.stringify(x.settings),
    events: JSON.stringify(x.events),
    filter: JSON.stringify(x.filter),
    class: x.class,
    owner: x.owner,
    rate_limit_per_second: x.rateLimitPerSecond,
    enabled: d.bool(x.enabled),
    disabled_reason: x.disabledReason,
    disabled_at: toMsOrNull(x.disabledAt),
    failing_since: toMsOrNull(x.failingSince),
    secrets: JSON.stringify(x.secrets),
    created_at: toMs(x.createdAt),
    updated_at: toMs(x.updatedAt),
  };
}

export function endpointFromRow(r: Selectable<EndpointsTable>): Endpoint {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind as EndpointKind,
    name: r.name,
    url: r.url,
    settings: parseJson(r.settings),
    events: parseJson(r.events),
    filter: parseJson(r.filter),
    class: r.class as EndpointClass,
    owner: r.owner,
    rateLimitPerSecond: r.rate_limit_per_second === null ? null : Number(r.rate_limit_per_second),
    enabled: Boolean(r.enabled),
    disabledReason: r.disabled_reason,
    disabledAt: toIsoOrNull(r.disabled_at),
    failingSince: toIsoOrNull(r.failing_since),
    secrets: parseJson(r.secrets),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function deliveryFromRow(r: Selectable<DeliveriesTable>): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    workspaceId: r.workspace_id,
    eventType: r.event_type,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    retryBase: Number(r.retry_base),
    nextAttemptAt: toIsoOrNull(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseExpiresAt: toIsoOrNull(r.lease_expires_at),
    rateSlotAt: toIsoOrNull(r.rate_slot_at),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    lastErrorClass: r.last_error_class as ErrorClass | null,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    completedAt: toIsoOrNull(r.completed_at),
  };
}

export function attemptToRow(a: DeliveryAttempt): Insertable<DeliveryAttemptsTable> {
  return {
    delivery_id: a.deliveryId,
    n: a.n,
    at: toMs(a.at),
    request: a.request === null ? null : JSON.stringify(a.request),
    response: a.response === null ? null : JSON.stringify(a.response),
    duration_ms: Math.round(a.durationMs),
    error_class: a.errorClass,
    error: a.error,
  };
}

export function attemptFromRow(r: Selectable<DeliveryAttemptsTable>): DeliveryAttempt {
  return {
    deliveryId: r.delivery_id,
    n: Number(r.n),
    at: toIso(r.at),
    request: r.request === null ? null : parseJson(r.request),
    response: r.response === null ? null : parseJson(r.response),
    durationMs: Number(r.duration_ms),
    errorClass: r.error_class as ErrorClass | null,
    error: r.error,
  };
}

export function idempotencyToRow(x: IdempotencyRecord): Insertable<IdempotencyKeysTable> {
  return {
    workspace_id: x.workspaceId,
    key: x.key,
    fingerprint: x.fingerprint,
    response_status: x.responseStatus,
    response_body: x.responseBody,
    created_at: toMs(x.createdAt),
    expires_at: toMs(x.expiresAt),
  };
}

export function idempotencyFromRow(r: Selectable<IdempotencyKeysTable>): IdempotencyRecord {
  return {
    workspaceId: r.workspace_id,
    key: r.key,
    fingerprint: r.fingerprint,
    responseStatus: Number(r.response_status),
    responseBody: r.response_body,
    createdAt: toIso(r.created_at),
    expiresAt: toIso(r.expires_at),
  };
}
