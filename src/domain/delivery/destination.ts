import type { FieldProblem } from '../shared/errors.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import type { Endpoint, EndpointKind } from './endpoint.ts';

// The destination port: one adapter per endpoint kind turns an event into the
// receiver's format and sends it. The delivery engine owns retries, leases,
// logging and rate limits; an adapter only makes one attempt and reports it.

/** How an attempt went wrong, for the attempt log, filters and retry policy. */
export type ErrorClass =
  | 'blocked' // the SSRF guard refused the address
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'redirect' // a 3xx: redirects are not followed and count as failure
  | 'http_status' // a non-2xx answer
  | 'smtp'
  | 'config' // the endpoint's settings cannot work (e.g. missing token)
  | 'internal';

export interface AttemptRequest {
  method: string;
  url: string;
  /** Secrets (Authorization, tokens) redacted. */
  headers: Record<string, string>;
  body: string;
}

export interface AttemptResponse {
  status: number;
  headers: Record<string, string>;
  /** Capped (see MAX_LOGGED_BODY_BYTES). */
  body: string;
}

export interface SendResult {
  ok: boolean;
  request: AttemptRequest | null;
  response: AttemptResponse | null;
  durationMs: number;
  errorClass: ErrorClass | null;
  error: string | null;
  /** Never retry this delivery (e.g. Slack 404, a 4xx the receiver means). */
  permanent?: boolean;
  /** The receiver says it is gone for good (HTTP 410): disable the endpoint. */
  gone?: boolean;
  /** From Retry-After, in ms, when the receiver gave one. */
  retryAfterMs?: number;
}

/** Small per-endpoint memory for adapters (e.g. alert fingerprint → GitHub issue number). */
export interface DestinationState {
  get(endpointId: string, key: string): Promise<string | undefined>;
  set(endpointId: string, key: string, value: string): Promise<void>;
}

export interface SendContext {
  event: EventEnvelope;
  endpoint: Endpoint;
  /** The `webhook-id`: the event id, the same on every retry so receivers can deduplicate. */
  webhookId: string;
  /** 1 for the first attempt. */
  attempt: number;
  state: DestinationState;
}

export interface Destination {
  readonly kind: EndpointKind;
  /** Problems with an endpoint's url/settings for this kind, checked at create/update (422). */
  validate(endpoint: Pick<Endpoint, 'url' | 'settings'>): FieldProblem[];
  send(ctx: SendContext): Promise<SendResult>;
}

/** 64 KiB of a response body is enough to debug a receiver; more only fills the log. */
export const MAX_LOGGED_BODY_BYTES = 64 * 1024;

/** Outbound HTTP through the SSRF guard (adapters/outbound implements it). */
export interface HttpClient {
  /** Never follows redirects. Throws OutboundError on blocked/dns/connect/tls/timeout. */
  request(req: { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs?: number }): Promise<{ status: number; headers: Record<string, string>; body: string; durationMs: number }>;
}

export class OutboundError extends Error {
  readonly errorClass: ErrorClass;
  constructor(errorClass: ErrorClass, message: string) {
    super(message);
    this.name = 'OutboundError';
    this.errorClass = errorClass;
  }
}
