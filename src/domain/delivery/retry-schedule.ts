import type { SendResult } from './destination.ts';

// When to try again. The base schedule (delay after the n-th failed attempt):
//
//   5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 12 h, 12 h, 12 h, 12 h
//
// 14 retries, 15 attempts, 75.7 hours ≈ 3.15 days in total: the first
// minutes absorb a blip or a deploy, the hours ride out an outage, and three
// days cover a long weekend before the delivery is given up (and the
// endpoint, if nothing gets through, is disabled: endpoint-health.ts).
//
// Jitter: each delay is drawn uniformly from [0.5, 1.5) × base. Full jitter
// ([0, base)) would halve the expected window to ~1.6 days and may fire a
// "2 minute" retry after 3 s; ±50 % keeps the documented schedule as the mean
// while still spreading a thundering herd (a receiver back from an outage
// with 10,000 waiting deliveries) over a window as wide as the delay itself.

const S = 1000;
const M = 60 * S;
const H = 60 * M;

export const RETRY_DELAYS_MS: readonly number[] = [5 * S, 30 * S, 2 * M, 10 * M, 30 * M, 1 * H, 2 * H, 4 * H, 8 * H, 12 * H, 12 * H, 12 * H, 12 * H, 12 * H];

/** Attempts per delivery (per replay round): the first one and every retry. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * A receiver's Retry-After is honoured (we never retry sooner than it asks)
 * up to one hour: a longer ask is more likely a misconfigured header than a
 * plan, and the regular schedule takes over from there.
 */
export const MAX_RETRY_AFTER_MS = 1 * H;

/**
 * The delay before the next attempt after the `failedAttempt`-th failure of
 * this round (1-based), or null when the budget is spent.
 */
export function retryDelayMs(failedAttempt: number, random: () => number, retryAfterMs?: number): number | null {
  const base = RETRY_DELAYS_MS[failedAttempt - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.5 + random()));
  const asked = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.max(jittered, asked);
}

export type AttemptVerdict =
  | { kind: 'succeeded' }
  | { kind: 'retry'; delayMs: number }
  /** Given up: a permanent error, or no retries left. */
  | { kind: 'failed'; why: 'permanent' | 'exhausted' }
  /** 410: the receiver is gone; the endpoint is disabled. */
  | { kind: 'gone' };

/**
 * What an attempt's result means for its delivery. 2xx and only 2xx is
 * success (the adapter sets ok); 3xx, 429, 5xx, timeouts and connection
 * errors retry unless the adapter marked them permanent.
 */
export function judgeAttempt(result: SendResult, failedAttempt: number, random: () => number): AttemptVerdict {
  if (result.ok) return { kind: 'succeeded' };
  if (result.gone) return { kind: 'gone' };
  if (result.permanent) return { kind: 'failed', why: 'permanent' };
  const delayMs = retryDelayMs(failedAttempt, random, result.retryAfterMs);
  return delayMs === null ? { kind: 'failed', why: 'exhausted' } : { kind: 'retry', delayMs };
}
