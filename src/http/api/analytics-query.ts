import { z } from 'zod';
import type { AnalyticsFilters, ClickSelection } from '../../domain/analytics/ports.ts';
import { ANALYTICS_DIMENSIONS } from '../../domain/analytics/ports.ts';
import type { AnalyticsRequest } from '../../domain/analytics/query-analytics.ts';
import { normaliseHostname } from '../../domain/links/build-link.ts';
import { zodProblems } from '../../domain/links/link-input.ts';
import type { LinkFilter } from '../../domain/ports.ts';
import { validationError } from '../../domain/shared/errors.ts';

// Query strings of /analytics and /exports. Unknown parameters are refused
// (422) as everywhere in the API (see query.ts): a misspelt filter silently
// widening a report is worse than an error naming it.

/** Top-N ceiling: 1,000 groups is more than any chart shows and bounds the answer at ~60 KB. */
export const MAX_GROUPS = 1000;

const text = (max: number) => z.string().min(1).max(max);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
// An instant with an explicit zone, so the same URL means the same range wherever it is sent from.
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be an ISO 8601 date or date-time with a zone (2026-01-31T00:00:00Z)')
  .transform((v, ctx) => {
    const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a valid date' });
      return z.NEVER;
    }
    return d;
  });

const filterShape = {
  link_id: text(40).optional(),
  tag: text(64).optional(),
  campaign: text(200).optional(),
  domain: text(253).optional(),
  country: text(2).optional(),
  city: text(200).optional(),
  device: text(32).optional(),
  browser: text(100).optional(),
  os: text(100).optional(),
  referrer_domain: text(253).optional(),
  utm_source: text(200).optional(),
  utm_medium: text(200).optional(),
  utm_campaign: text(200).optional(),
  qr: flag.optional(),
};

const selectionShape = {
  ...filterShape,
  from: instant.optional(),
  to: instant.optional(),
  include_bots: flag.default('false'),
  include_test: flag.default('false'),
};

const analyticsQuery = z
  .object({
    ...selectionShape,
    tz: text(64).default('UTC'),
    interval: z.enum(['minute', 'hour', 'day']).default('day'),
    group_by: z.enum(['time', ...ANALYTICS_DIMENSIONS]).default('time'),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `must be an integer from 1 to ${MAX_GROUPS}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_GROUPS, `must be an integer from 1 to ${MAX_GROUPS}`))
      .optional(),
  })
  .strict();

const clickExportQuery = z.object({ ...selectionShape, format: z.enum(['csv', 'ndjson']).default('csv') }).strict();

const linkExportQuery = z
  .object({ tag: text(64).optional(), campaign: text(200).optional(), domain: text(253).optional(), search: text(200).optional(), format: z.enum(['csv', 'ndjson']).default('csv') })
  .strict();

function parse<S extends z.ZodTypeAny>(schema: S, query: unknown): z.output<S> {
  const r = schema.safeParse(query ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  return r.data as z.output<S>;
}

/** `domain=default` (or the default host) is the default domain, stored as null. */
function domainFilter(raw: string, defaultHost: string): string | null {
  if (raw === 'default') return null;
  const host = normaliseHostname(raw);
  if (host === null) throw validationError([{ field: 'domain', message: 'must be a hostname, or "default" for the default domain' }]);
  return host === defaultHost ? null : host;
}

function filtersOf(q: z.output<z.ZodObject<typeof filterShape>>, defaultHost: string): AnalyticsFilters {
  const filters: AnalyticsFilters = {};
  // Only the filter fields: q also holds from, tz, group_by ..., and any of those in
  // filters made every API query look filtered, so none was answered from the rollups.
  for (const k of Object.keys(filterShape) as (keyof typeof filterShape)[]) {
    const v = q[k];
    if (v !== undefined && k !== 'domain') (filters as Record<string, unknown>)[k] = v;
  }
  const domain = q.domain;
  if (filters.country !== undefined) filters.country = filters.country.toUpperCase();
  if (domain !== undefined) filters.domain = domainFilter(domain, defaultHost);
  return filters;
}

export function parseAnalyticsQuery(query: unknown, defaultHost: string): AnalyticsRequest {
  const q = parse(analyticsQuery, query);
  if (q.limit !== undefined && q.group_by === 'time') throw validationError([{ field: 'limit', message: 'applies to top-N groupings, not group_by=time' }]);
  const req: AnalyticsRequest = {
    tz: q.tz,
    interval: q.interval,
    groupBy: q.group_by,
    filters: filtersOf(q, defaultHost),
    limit: q.limit ?? null,
    includeBots: q.include_bots,
    includeTest: q.include_test,
  };
  if (q.from) req.from = q.from;
  if (q.to) req.to = q.to;
  return req;
}

/** Exports default to every click ever: [0, the end of representable time). */
const END_OF_TIME = 8.64e15;

export function parseClickExportQuery(query: unknown, defaultHost: string, workspaceId: string): { format: 'csv' | 'ndjson'; selection: ClickSelection } {
  const q = parse(clickExportQuery, query);
  const fromMs = q.from?.getTime() ?? 0;
  const toMs = q.to?.getTime() ?? END_OF_TIME;
  if (fromMs >= toMs) throw validationError([{ field: 'to', message: 'must be after from' }]);
  return { format: q.format, selection: { workspaceId, fromMs, toMs, filters: filtersOf(q, defaultHost), includeBots: q.include_bots, includeTest: q.include_test } };
}

export function parseLinkExportQuery(query: unknown, defaultHost: string): { format: 'csv' | 'ndjson'; filter: LinkFilter } {
  const q = parse(linkExportQuery, query);
  const filter: LinkFilter = {};
  if (q.tag !== undefined) filter.tag = q.tag;
  if (q.campaign !== undefined) filter.campaign = q.campaign;
  if (q.search !== undefined) filter.search = q.search;
  if (q.domain !== undefined) filter.domain = domainFilter(q.domain, defaultHost);
  return { format: q.format, filter };
}
