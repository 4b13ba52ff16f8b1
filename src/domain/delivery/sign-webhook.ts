import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks signing (https://www.standardwebhooks.com, spec v1):
//
//   webhook-id:        the event id, the same on every retry (receivers dedupe on it)
//   webhook-timestamp: unix seconds of THIS attempt (receivers refuse stale ones, 5 min)
//   webhook-signature: "v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>"
//
// The key is the base64 part of a `whsec_` secret, decoded. During a secret
// rotation every active secret signs, space-separated, so a receiver that has
// either secret verifies: that is what lets it switch secrets without downtime.
// The official `standardwebhooks` package verifies our output in the tests,
// and the spec's published test vector is reproduced exactly.

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** 32 random bytes: HMAC-SHA256's block-size-independent sweet spot (RFC 2104 recommends ≥ the 32-byte output). */
const SECRET_BYTES = 32;

export interface WebhookSignatureInput {
  id: string;
  /** Unix time in seconds. */
  timestamp: number;
  /** The exact bytes that go on the wire. */
  body: string;
  /** Every active secret (`whsec_...`); at least one. */
  secrets: string[];
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The HMAC key of a secret: the base64 after `whsec_` (a bare base64 secret is accepted too). */
export function webhookSecretKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  // Buffer.from(…, 'base64') silently skips bad characters; refuse them so a
  // typo'd secret fails loudly instead of signing with a different key.
  if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('webhook secret is not whsec_ followed by base64');
  return Buffer.from(b64, 'base64');
}

export function isWebhookSecret(secret: string): boolean {
  try {
    return secret.startsWith(WEBHOOK_SECRET_PREFIX) && webhookSecretKey(secret).length >= 24;
  } catch {
    return false;
  }
}

/** One `v1,<base64>` signature. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', webhookSecretKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export function signWebhook(input: WebhookSignatureInput): WebhookHeaders {
  if (input.secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  if (!Number.isInteger(input.timestamp) || input.timestamp < 0) throw new Error('webhook timestamp must be whole unix seconds');
  // An id with a "." would make "id.timestamp.body" ambiguous; ours are evt_<ulid>.
  if (input.id === '' || input.id.includes('.')) throw new Error('webhook id must be non-empty without "."');
  const signatures = input.secrets.map((s) => webhookSignature(s, input.id, input.timestamp, input.body));
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/** A fresh signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}
