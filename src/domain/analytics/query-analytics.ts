import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import type { AnalyticsFilters, AnalyticsGroupBy, AnalyticsInterval, AnalyticsRepo } from './ports.ts';
import { bucketsBetween, formatLocal, isTimeZone, lastLocalDays } from './time-buckets.ts';

/**
 * Most buckets one time series may have: 5,000 is three and a half days of
 * minutes or seven months of hours. Each bucket is one range lookup in the
 * raw query and one row of the answer; more is a chart nobody can read.
 */
export const MAX_BUCKETS = 5000;

/** Days in the default range, today (in the query's zone) included. */
export const DEFAULT_DAYS = 30;

export interface AnalyticsRequest {
  from?: Date;
  to?: Date;
  tz: string;
  interval: AnalyticsInterval;
  groupBy: AnalyticsGroupBy;
  filters: AnalyticsFilters;
  limit: number | null;
  includeBots: boolean;
  includeTest: boolean;
}

export interface AnalyticsRow {
  /** Bucket start (ISO with offset) for time, the group's value otherwise; null for unknown. */
  key: string | null;
  clicks: number;
  visitors: number;
}

export async function queryAnalytics(deps: { analytics: AnalyticsRepo; clock: Clock }, workspaceId: string, req: AnalyticsRequest): Promise<AnalyticsRow[]> {
  if (!isTimeZone(req.tz)) throw validationError([{ field: 'tz', message: 'must be an IANA time zone such as Europe/Berlin' }]);
  const range = lastLocalDays(req.tz, deps.clock.now().getTime(), DEFAULT_DAYS);
  const fromMs = req.from?.getTime() ?? (req.to ? req.to.getTime() - DEFAULT_DAYS * 86_400_000 : range.fromMs);
  const toMs = req.to?.getTime() ?? (req.from ? Math.max(range.toMs, fromMs + 1) : range.toMs);
  if (fromMs >= toMs) throw validationError([{ field: 'to', message: 'must be after from' }]);
  const selection = { workspaceId, fromMs, toMs, filters: req.filters, includeBots: req.includeBots, includeTest: req.includeTest };

  if (req.groupBy !== 'time') {
    const groups = await deps.analytics.query({ ...selection, groupBy: req.groupBy, bucketStarts: [], limit: req.limit });
    return groups.map((g) => ({ key: g.key, clicks: g.clicks, visitors: g.visitors }));
  }

  const buckets = bucketsBetween(req.tz, fromMs, toMs, req.interval, MAX_BUCKETS);
  if (!buckets) throw validationError([{ field: 'interval', message: `makes more than ${MAX_BUCKETS} buckets in this range; use a coarser interval or a shorter range` }]);
  const groups = await deps.analytics.query({ ...selection, groupBy: 'time', bucketStarts: buckets.starts, limit: null });
  const byStart = new Map(groups.map((g) => [Number(g.key), g]));
  // Every bucket, empty ones as zeros: a chart needs the gaps.
  return buckets.starts.map((start, i) => {
    const g = byStart.get(start);
    return { key: formatLocal(req.tz, buckets.keys[i] ?? start), clicks: g?.clicks ?? 0, visitors: g?.visitors ?? 0 };
  });
}
