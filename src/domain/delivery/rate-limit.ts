import { createHash } from 'node:crypto';
import type { Endpoint, EndpointKind } from './endpoint.ts';

/**
 * Rate limits that apply when an endpoint sets none. Slack allows one message
 * per second per incoming webhook ("short bursts above the limit are
 * tolerated", but sustained traffic gets 429s): 1/s. The other kinds are
 * unlimited by default; their receivers' limits vary per account, so the
 * owner sets one when they need it.
 */
export const DEFAULT_RATE_LIMITS: Partial<Record<EndpointKind, number>> = { slack: 1 };

/** Deliveries per second for this endpoint, or null for unlimited. */
export function effectiveRateLimit(endpoint: Pick<Endpoint, 'kind' | 'rateLimitPerSecond'>): number | null {
  return endpoint.rateLimitPerSecond ?? DEFAULT_RATE_LIMITS[endpoint.kind] ?? null;
}

/** Milliseconds between two deliveries to this endpoint, or null for unlimited. */
export function slotIntervalMs(endpoint: Pick<Endpoint, 'kind' | 'rateLimitPerSecond'>): number | null {
  const rate = effectiveRateLimit(endpoint);
  return rate === null ? null : Math.ceil(1000 / rate);
}

/** Spacing of a replay: the endpoint's own rate, or the replay rate when it has none. */
export function replayPaceMs(endpoint: Pick<Endpoint, 'kind' | 'rateLimitPerSecond'>, replayRatePerSecond: number): number {
  return slotIntervalMs(endpoint) ?? Math.ceil(1000 / replayRatePerSecond);
}

/**
 * Which shared slot row an endpoint's deliveries take their turns from.
 * Slack's limit belongs to the incoming-webhook URL, not to our endpoint:
 * two endpoints (say, an alert rule's and a report's) posting to the same
 * channel webhook would each get 1/s, i.e. 2/s on Slack's side and 429s. So
 * Slack endpoints share one slot per URL, across endpoints and workspaces.
 * The key is a hash: the URL is a credential and must not sit in a second
 * table. Every other kind is limited per endpoint.
 */
export function rateLimitKey(endpoint: Pick<Endpoint, 'id' | 'kind' | 'url'>): string {
  if (endpoint.kind === 'slack' && endpoint.url) return `slack:${createHash('sha256').update(endpoint.url).digest('base64url').slice(0, 32)}`;
  return endpoint.id;
}
