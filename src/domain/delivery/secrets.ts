import type { Endpoint, EndpointSecret } from './endpoint.ts';
import { newWebhookSecret } from './sign-webhook.ts';

// Secret rotation. Secrets are Standard Webhooks `whsec_` secrets (sign-webhook.ts).

/** The secrets that sign at `now`: the current one and any rotated-out one still in its overlap window. */
export function activeSecrets(secrets: readonly EndpointSecret[], now: Date): EndpointSecret[] {
  const t = now.getTime();
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > t);
}

/**
 * Rotation: a fresh current secret; the previous current one keeps signing
 * until now + overlapMs. Secrets already past their window are dropped.
 */
export function rotateSecrets(secrets: readonly EndpointSecret[], now: Date, overlapMs: number): EndpointSecret[] {
  const until = new Date(now.getTime() + overlapMs).toISOString();
  const kept = activeSecrets(secrets, now).map((s) => (s.expiresAt === null ? { ...s, expiresAt: until } : s));
  return [{ secret: newWebhookSecret(), createdAt: now.toISOString(), expiresAt: null }, ...kept];
}

/** The endpoint as a destination should see it at `now`: only the secrets that sign. */
export function withActiveSecrets(endpoint: Endpoint, now: Date): Endpoint {
  return { ...endpoint, secrets: activeSecrets(endpoint.secrets, now) };
}
