import { z } from 'zod';
import { UTM_KEYS } from '../links/link.ts';
import { DURATION_HINT, parseDuration } from './duration.ts';
import type { Trigger } from './rule.ts';
import { DEFAULT_FACTOR, DEFAULT_MIN_VOLUME } from './evaluators/change-evaluator.ts';

// The API shape of each trigger type, with the defaults that make the short
// form work: `{"type": "change", "metric": "clicks", "window": "1h",
// "direction": "both"}` alone is a sensible rule. Each engineer owning an
// evaluator refines their type's entry here; the rule use cases take the
// union as is.

const duration = z.string().max(20).refine((v) => parseDuration(v) !== undefined, DURATION_HINT);
const metric = z.enum(['clicks', 'scans']).default('clicks');

/**
 * change: a spike is 3x the baseline, a drop 1/3 of it — about what a person
 * would call "a lot more / a lot less" for link traffic, and far outside the
 * day-to-day noise of a link with a steady audience. Under 20 clicks in the
 * window (current or baseline) nothing fires: at 5 clicks an hour, 15 is
 * just chance, and tiny links would flap. The baseline is the link's own
 * history (see docs/rules.md, "change").
 */
// One source for the defaults: the values bench:alerts tuned (change-evaluator.ts says why).
export const CHANGE_DEFAULTS = { factor: DEFAULT_FACTOR, min_volume: DEFAULT_MIN_VOLUME } as const;

const codeList = (re: RegExp, hint: string) => z.array(z.string().regex(re, hint)).min(1).max(250);

export const triggerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), metric, window: duration.default('5m') }).strict(),
  z
    .object({
      type: z.literal('threshold'),
      metric,
      window: duration,
      op: z.enum(['>=', '<=']).default('>='),
      value: z.number().int().nonnegative(),
      per: z.enum(['link', 'scope']).default('link'),
    })
    .strict(),
  z
    .object({
      type: z.literal('change'),
      metric,
      window: duration.default('1h'),
      direction: z.enum(['up', 'down', 'both']).default('both'),
      factor: z.number().gt(1).max(1000).default(CHANGE_DEFAULTS.factor),
      min_volume: z.number().int().nonnegative().default(CHANGE_DEFAULTS.min_volume),
    })
    .strict(),
  z
    .object({
      type: z.literal('health'),
      max_hops: z.number().int().min(1).max(20).optional(),
      expected_domains: z.array(z.string().min(1).max(253)).min(1).max(100).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('utm_policy'),
      required: z.array(z.enum(UTM_KEYS)).min(1).optional(),
      allowed: z.record(z.enum(UTM_KEYS), z.array(z.string().min(1).max(200)).min(1)).optional(),
      patterns: z.record(z.enum(UTM_KEYS), z.string().min(1).max(500)).optional(),
      case: z.literal('lower').optional(),
      separator: z.enum(['-', '_']).optional(),
    })
    .strict(),
  z.object({ type: z.literal('lifecycle'), lead_times: z.array(duration).min(1).max(10).optional() }).strict(),
  z
    .object({
      type: z.literal('qr_region'),
      expected_countries: codeList(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes in upper case, e.g. DE').optional(),
      expected_devices: z.array(z.enum(['desktop', 'mobile', 'tablet', 'bot', 'unknown'])).min(1).optional(),
    })
    .strict(),
  z.object({ type: z.literal('domain_health'), tls_days: z.number().int().min(1).max(365).optional() }).strict(),
]);

// Compile-time check that what the schema parses is a Trigger of rule.ts.
const _fits = (t: z.output<typeof triggerSchema>): Trigger => t;
