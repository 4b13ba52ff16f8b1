import type { Click } from '../clicks/click.ts';
import type { VisitorMemory } from './visitor-memory.ts';

// The analytics read side: grouped counts over the click log, served from
// rollups when the question fits them (see docs/analytics.md), and the
// click pages exports stream from.

/** Dimensions a query can group or filter by; `time` is grouping only. */
export const ANALYTICS_DIMENSIONS = [
  'link',
  'tag',
  'campaign',
  'domain',
  'country',
  'city',
  'device',
  'browser',
  'os',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'qr',
] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];
export type AnalyticsGroupBy = 'time' | AnalyticsDimension;
export type AnalyticsInterval = 'minute' | 'hour' | 'day';

/**
 * Equality filters, all ANDed. `domain: null` means the default domain;
 * `qr: true` QR scans only, false web visits only.
 */
export interface AnalyticsFilters {
  link_id?: string;
  tag?: string;
  campaign?: string;
  domain?: string | null;
  country?: string;
  city?: string;
  device?: string;
  browser?: string;
  os?: string;
  referrer_domain?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  qr?: boolean;
}

/** Which clicks: the workspace's, in [fromMs, toMs), matching the filters. */
export interface ClickSelection {
  workspaceId: string;
  fromMs: number;
  toMs: number;
  filters: AnalyticsFilters;
  /** Bots and test traffic are excluded unless asked for. */
  includeBots: boolean;
  includeTest: boolean;
}

export interface AnalyticsRepoQuery extends ClickSelection {
  groupBy: AnalyticsGroupBy;
  /**
   * For groupBy 'time': ascending bucket starts (epoch ms); bucket i is
   * [bucketStarts[i], bucketStarts[i + 1]), the last one ends at toMs.
   */
  bucketStarts: readonly number[];
  /** Top-N by clicks (ties by key); null for every group. Ignored for time. */
  limit: number | null;
}

export interface AnalyticsGroup {
  /** The group's value (null for unknown); for time, the bucket start in epoch ms as a string. */
  key: string | null;
  clicks: number;
  /** Distinct visitor hashes. */
  visitors: number;
}

export interface AnalyticsRepo {
  /** Grouped counts: from the rollups (running totals per UTC day) when the query fits them, else from raw clicks. Same answer either way. */
  query(q: AnalyticsRepoQuery): Promise<AnalyticsGroup[]>;
  /**
   * Folds up to `batch` settled clicks past the rollup cursor into the
   * rollups, in one transaction, if `memory`'s worker holds the fold lease
   * (taking it when free or expired). Returns how many clicks it consumed:
   * 0 when caught up or when another worker holds the lease. `memory` holds
   * the open days' visitor sets between calls.
   */
  refreshRollups(memory: VisitorMemory, nowMs: number, batch?: number): Promise<number>;
  /**
   * Drops every rollup row and rewinds the cursor: the next refreshes rebuild
   * from raw clicks. With `memory`, its worker takes the fold lease in the
   * same transaction (a rebuild beside running workers).
   */
  resetRollups(memory?: VisitorMemory, nowMs?: number): Promise<void>;
  /** Gives up the fold lease if `memory`'s worker holds it, so another takes over at once (graceful stop). */
  releaseRollups(memory: VisitorMemory): Promise<void>;
  /** Clicks matching the selection with id > afterId, ascending by id (keyset pages for exports). */
  listClicks(sel: ClickSelection, afterId: string | null, limit: number): Promise<Click[]>;
}
