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
