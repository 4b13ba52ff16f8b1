import { z } from 'zod';
import {
  actorSchema,
  alertPayloadSchema,
  clickPayloadSchema,
  endpointSummarySchema,
  healthCheckSchema,
  isoTimestamp,
  linkPayloadSchema,
  utmSchema,
} from './payload-schemas.ts';

// The `data` of each event type. Every event about a link carries `link`
// (LinkPayload); click and scan events carry `click` (ClickPayload) too, so a
// receiver or an endpoint filter finds tags, campaign, country or the QR flag
// in the same place whatever the event.

const link = linkPayloadSchema;
const actor = actorSchema;
const utmKey = z.enum(['source', 'medium', 'campaign', 'term', 'content']);
const utmProblem = z
  .object({
    key: utmKey,
    problem: z.enum(['missing', 'not_allowed', 'pattern', 'case', 'separator', 'duplicate']),
    value: z.string().nullable(),
    suggestion: z.string().nullable(),
    message: z.string().min(1),
  })
  .strict();

/** What bulk-import QA looks for (src/domain/imports/import-qa.ts); docs/api.md explains each. */
export const IMPORT_FINDING_KINDS = ['duplicate_destination', 'missing_utm', 'malformed_utm', 'redirect_chain', 'missing_slug', 'slug_collision', 'foreign_domain'] as const;
const importQaSchema = z
  .object({
    /** False when the import skipped the outbound redirect-chain check. */
    redirects_checked: z.boolean(),
    counts: z.object(Object.fromEntries(IMPORT_FINDING_KINDS.map((k) => [k, z.number().int().nonnegative()])) as Record<(typeof IMPORT_FINDING_KINDS)[number], z.ZodNumber>).strict(),
    /** Row numbers as a spreadsheet shows them (the header is row 1). */
    findings: z.array(z.object({ row: z.number().int().positive(), kind: z.enum(IMPORT_FINDING_KINDS), message: z.string(), value: z.string().nullable() }).strict()),
    /** True when there were more findings than the event carries (the CLI's report file and the API answer have them all). */
    truncated: z.boolean(),
  })
  .strict();

/** The link fields a change can touch, by their API (snake_case) names. */
export const LINK_CHANGE_FIELDS = [
  'domain',
  'slug',
  'url',
  'redirect_type',
  'title',
  'tags',
  'campaign',
  'utm',
  'priority',
  'owner',
  'expires_at',
  'expired_url',
  'scheduled_changes',
  'is_test',
  'external_id',
  'metadata',
] as const;
export type LinkChangeField = (typeof LINK_CHANGE_FIELDS)[number];

const fieldChange = z
  .object({ before: z.unknown(), after: z.unknown() })
  .strict()
  .refine((c) => 'before' in c && 'after' in c, 'needs both before and after');

export const linkChangesSchema = z
  .record(z.enum(LINK_CHANGE_FIELDS), fieldChange)
  .refine((c) => Object.keys(c).length > 0, 'at least one field changed');

const clickData = z.object({ link, click: clickPayloadSchema }).strict();

const alertData = (status: 'triggered' | 'resolved') =>
  z
    .object({
      alert: alertPayloadSchema.refine((a) => a.status === status, `alert.status must be ${status}`),
      // Present when the alert is about one link (most are); absent for workspace-wide rules.
      link: link.optional(),
    })
    .strict();

const count = z.number().int().nonnegative();

export const EVENT_DATA_SCHEMAS = {
  'link.created': z.object({ link, actor }).strict(),
  'link.updated': z.object({ link, changes: linkChangesSchema, actor }).strict(),
  'link.deleted': z.object({ link, actor }).strict(),
  'link.destination_changed': z
    .object({ link, old_url: z.string().url(), new_url: z.string().url(), actor, changed_at: isoTimestamp })
    .strict(),
  'link.clicked': clickData.refine((d) => !d.click.is_qr, 'a QR scan is qr.scanned, not link.clicked'),
  'qr.scanned': clickData.refine((d) => d.click.is_qr && d.click.qr_code_id !== null, 'click.is_qr must be true with a qr_code_id'),
  'link.expiring': z.object({ link, expires_at: isoTimestamp, expires_in_seconds: z.number().int().nonnegative() }).strict(),
  'link.expired': z.object({ link, expired_at: isoTimestamp, expired_url: z.string().url().nullable() }).strict(),
  'link.scheduled_change_applied': z
    .object({
      link,
      scheduled_at: isoTimestamp,
      action: z.enum(['change_url', 'disable']),
      old_url: z.string().url(),
      /** null when the change switched the link off. */
      new_url: z.string().url().nullable(),
    })
    .strict(),
  'link.utm_incomplete': z
    .object({
      link,
      /** Required keys the link lacks; empty when only conventions are broken. */
      missing: z.array(utmKey),
      required: z.array(utmKey),
      utm: utmSchema,
      /** Every problem with the fix to apply (src/domain/rules/utm-policy.ts). */
      problems: z.array(utmProblem).min(1),
    })
    .strict(),
  'link.redirect_failed': z
    .object({ link, check: healthCheckSchema, consecutive_failures: z.number().int().positive(), failing_since: isoTimestamp })
    .strict(),
  'link.redirect_recovered': z
    .object({ link, check: healthCheckSchema, failing_since: isoTimestamp, downtime_seconds: z.number().int().nonnegative() })
    .strict(),
  'alert.triggered': alertData('triggered'),
  'alert.resolved': alertData('resolved'),
  'report.summary': z
    .object({
      report: z
        .object({
          id: z.string().min(1),
          name: z.string().min(1),
          owner: z.string().nullable(),
          period_start: isoTimestamp,
          period_end: isoTimestamp,
          totals: z
            .object({
              clicks: count,
              scans: count,
              unique_visitors: count,
              bots: count,
              test: count,
            })
            .strict(),
          top_links: z.array(z.object({ link_id: z.string(), short_url: z.string().url(), title: z.string().nullable(), clicks: count }).strict()),
          top_countries: z.array(z.object({ country: z.string().nullable(), clicks: count }).strict()),
          top_referrers: z.array(z.object({ referrer_domain: z.string().nullable(), clicks: count }).strict()),
          // Scheduled summaries (docs/reports.md): the chart's series, growth
          // against the previous period, suspected problems, idle campaign links.
          timezone: z.string().min(1),
          daily_clicks: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), clicks: count }).strict()),
          growing_links: z.array(z.object({ link_id: z.string(), short_url: z.string().url(), title: z.string().nullable(), clicks: count, previous_clicks: count }).strict()),
          issues: z.array(
            z
              .object({
                link_id: z.string(),
                short_url: z.string().url(),
                title: z.string().nullable(),
                kind: z.enum(['failing_health_check', 'incomplete_utm', 'expired_but_visited']),
                detail: z.string(),
              })
              .strict(),
          ),
          inactive_links: z.array(z.object({ link_id: z.string(), short_url: z.string().url(), title: z.string().nullable(), campaign: z.string() }).strict()),
        })
        .strict(),
    })
    .strict(),
  'endpoint.disabled': z
    .object({
      endpoint: endpointSummarySchema,
      reason: z.enum(['gone', 'failing', 'manual']),
      disabled_at: isoTimestamp,
      failing_since: isoTimestamp.nullable(),
      last_error: z.object({ status: z.number().int().nullable(), error_class: z.string().nullable(), message: z.string().nullable() }).strict().nullable(),
    })
    .strict(),
  'endpoint.recovered': z
    .object({
      endpoint: endpointSummarySchema,
      recovered_at: isoTimestamp,
      disabled_at: isoTimestamp,
      /** Deliveries missed while disabled, now being replayed at the endpoint's rate limit. */
      replaying: z.number().int().nonnegative(),
    })
    .strict(),
  'import.completed': z
    .object({
      import: z
        .object({
          source: z.enum(['cli', 'api']),
          file: z.string().nullable(),
          rows: count,
          created: count,
          failed: count,
          started_at: isoTimestamp,
          finished_at: isoTimestamp,
          qa: importQaSchema,
        })
        .strict(),
      actor,
    })
    .strict(),
} as const;
