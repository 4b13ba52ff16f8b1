import { z } from 'zod';
import type { ActorPayload, AlertPayload, ClickPayload, LinkPayload } from './envelope.ts';

// Zod schemas of the shared parts of event payloads. They mirror the wire
// interfaces in envelope.ts; the `satisfies` checks below fail to compile if
// the two ever drift, so a sample that validates here is a valid envelope there.
// Schemas are strict: a field a sample carries but the docs do not name is a bug.

const iso = z.string().datetime({ offset: false, message: 'must be an ISO 8601 UTC date-time' });
const nullableText = z.string().nullable();

export const isoTimestamp = iso;

export const utmSchema = z
  .object({
    source: z.string().optional(),
    medium: z.string().optional(),
    campaign: z.string().optional(),
    term: z.string().optional(),
    content: z.string().optional(),
  })
  .strict();

export const linkPayloadSchema = z
  .object({
    id: z.string().regex(/^lnk_[0-9a-z]{26}$/),
    short_url: z.string().url(),
    destination_url: z.string().url(),
    domain: nullableText,
    slug: z.string().min(1),
    title: nullableText,
    campaign: nullableText,
    utm: utmSchema,
    tags: z.array(z.string()),
    owner: nullableText,
    priority: z.enum(['low', 'normal', 'high', 'critical']),
    is_test: z.boolean(),
    external_id: nullableText,
    metadata: z.record(z.string()),
  })
  .strict();

export const clickPayloadSchema = z
  .object({
    id: z.string().regex(/^clk_[0-9a-z]+$/),
    timestamp: iso,
    referrer: nullableText,
    referrer_domain: nullableText,
    device: z.string(),
    browser: nullableText,
    os: nullableText,
    country: z.string().length(2).nullable(),
    region: nullableText,
    city: nullableText,
    is_qr: z.boolean(),
    qr_code_id: nullableText,
    is_bot: z.boolean(),
    is_test: z.boolean(),
  })
  .strict();

export const actorSchema = z
  .object({
    type: z.enum(['api_key', 'cli', 'system']),
    id: nullableText,
    name: nullableText,
  })
  .strict();

export const alertPayloadSchema = z
  .object({
    id: z.string().min(1),
    fingerprint: z.string().min(1),
    rule_id: z.string().min(1),
    rule_name: z.string().min(1),
    status: z.enum(['triggered', 'resolved']),
    severity: z.enum(['info', 'warning', 'critical']),
    summary: z.string().min(1),
    metric: nullableText,
    value: z.number().nullable(),
    threshold: z.number().nullable(),
    window: nullableText,
    owner: z.object({ name: z.string(), contact: nullableText }).strict(),
    action: z.string(),
    triggered_at: iso,
    resolved_at: iso.nullable(),
    details: z.record(z.string(), z.unknown()).optional(),
    escalated: z.boolean().optional(),
    response_time: z.string().optional(),
    is_drill: z.boolean().optional(),
    group: z
      .object({
        count: z.number().int().positive(),
        alert_ids: z.array(z.string()),
        worst: z.array(
          z.object({ alert_id: z.string(), subject: z.string(), link_id: nullableText, summary: z.string(), value: z.number().nullable() }).strict(),
        ),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * An endpoint as events about endpoints show it. Only the host of its URL:
 * for Slack, Teams and many CRMs the full webhook URL is itself the credential,
 * and an `endpoint.disabled` message may well be routed to a shared channel.
 */
export const endpointSummarySchema = z
  .object({
    id: z.string().regex(/^ep_[0-9a-z]+$/),
    kind: z.string(),
    name: nullableText,
    url_host: nullableText,
    class: z.enum(['alert', 'report']),
    owner: nullableText,
  })
  .strict();
export type EndpointSummary = z.infer<typeof endpointSummarySchema>;

/** One redirect health check, as link.redirect_failed / link.redirect_recovered report it. */
export const healthCheckSchema = z
  .object({
    url: z.string().url(),
    checked_at: iso,
    status: z.number().int().nullable(),
    error_class: nullableText,
    error: nullableText,
    duration_ms: z.number().nonnegative(),
  })
  .strict();

// Compile-time proof the schemas and the wire interfaces agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _linkAgrees: Same<z.infer<typeof linkPayloadSchema>, LinkPayload> = true;
const _clickAgrees: Same<z.infer<typeof clickPayloadSchema>, ClickPayload> = true;
const _actorAgrees: Same<z.infer<typeof actorSchema>, ActorPayload> = true;
const _alertAgrees: Same<z.infer<typeof alertPayloadSchema>, AlertPayload> = true;
