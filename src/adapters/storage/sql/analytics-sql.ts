import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { AnalyticsDimension, ClickSelection } from '../../../domain/analytics/ports.ts';
import type { Database, Db } from './database.ts';
import { parseJson } from './row-mapping.ts';
import type { SqlDialect } from './sql-dialect.ts';

// What the analytics queries share: the rollup tables, the SQL for a
// dimension's value and for a selection's WHERE (raw clicks aliased `c`),
// and the same dimension values computed in JS for the rollup worker.

/**
 * Running totals (migration 0009_analytics_running): one row per workspace,
 * dimension, value and UTC day on which that value had clicks, holding the
 * clicks and visitors from the first click through the end of that day. The
 * count over [from, to) is the last row before `to` minus the last row before
 * `from`.
 */
export interface AnalyticsRunningTable {
  workspace_id: string;
  dim: string;
  /** '' stands for null (unknown): a primary-key column cannot be NULL on PostgreSQL. */
  value: string;
  /** Epoch ms of the UTC day's start. */
  day: number;
  clicks: number;
  visitors: number;
}

/** Every value a dimension has had, with its latest day: a range query skips values silent since before it. */
export interface AnalyticsValuesTable {
  workspace_id: string;
  dim: string;
  value: string;
  last_day: number;
}

export interface AnalyticsRollupStateTable {
  name: string;
  click_id: string;
  updated_at: number;
  /** The rollup worker allowed to fold (analytics-rollup.ts); null when none. */
  lease_owner: string | null;
  lease_expires_at: number | null;
}

type AnalyticsTables = {
  analytics_running: AnalyticsRunningTable;
  analytics_values: AnalyticsValuesTable;
  analytics_rollup_state: AnalyticsRollupStateTable;
};

export type AnalyticsDb = Kysely<Database & AnalyticsTables>;

/** Our tables are typed here, not in database.ts, so the analytics schema stays in one place. */
export function analyticsDb(db: Db): AnalyticsDb {
  return db.withTables<AnalyticsTables>();
}

export const DAY_MS = 86_400_000;

/**
 * Dimensions the rollups keep, 'all' being the total. tag and campaign
 * are attributes of the link that can change after the click, so they are
 * always answered from raw clicks joined to the link as it is now.
 */
export const ROLLUP_DIMS = ['all', 'link', 'domain', 'country', 'city', 'device', 'browser', 'os', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'qr'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

export function isRollupDim(dim: string): dim is RollupDim {
  return (ROLLUP_DIMS as readonly string[]).includes(dim);
}

/** The click columns the rollup worker reads. */
export interface RollupClickRow {
  id: string;
  workspace_id: string;
  link_id: string;
  ts: number | string;
  domain_key: string;
  country: string | null;
  city: string | null;
  device_type: string;
  browser: string | null;
  os: string | null;
  referrer_domain: string | null;
  utm: unknown;
  is_qr: number | boolean;
  is_bot: number | boolean;
  is_test: number | boolean;
  visitor_hash: string;
}

export const ROLLUP_CLICK_COLUMNS = [
  'id', 'workspace_id', 'link_id', 'ts', 'domain_key', 'country', 'city', 'device_type', 'browser', 'os',
  'referrer_domain', 'utm', 'is_qr', 'is_bot', 'is_test', 'visitor_hash',
] as const;

/** A click's value for a rollup dimension, as the raw query's dimExpr would give it. */
export function rollupValue(row: RollupClickRow, utm: Record<string, string | undefined>, dim: RollupDim): string | null {
  switch (dim) {
    case 'all': return null;
    case 'link': return row.link_id;
    case 'domain': return row.domain_key === '' ? null : row.domain_key;
    case 'device': return row.device_type;
    case 'qr': return row.is_qr ? 'qr' : 'web';
    case 'utm_source': return utm.source ?? null;
    case 'utm_medium': return utm.medium ?? null;
    case 'utm_campaign': return utm.campaign ?? null;
    default: return row[dim];
  }
}

export function utmOf(row: RollupClickRow): Record<string, string | undefined> {
  return parseJson<Record<string, string | undefined>>(row.utm);
}

function utmExpr(dialect: SqlDialect, key: 'source' | 'medium' | 'campaign'): RawBuilder<string | null> {
  return dialect.name === 'sqlite' ? sql`json_extract(c.utm, ${`$.${key}`})` : sql`(c.utm ->> ${sql.lit(key)})`;
}

/** SQL for a dimension's value on `c` (clicks); tag and campaign need the joins of dimJoin(). */
export function dimExpr(dim: AnalyticsDimension, dialect: SqlDialect): RawBuilder<string | null> {
  switch (dim) {
    case 'link': return sql`c.link_id`;
    case 'tag': return sql`t.tag`;
    case 'campaign': return sql`l.campaign`;
    case 'domain': return sql`nullif(c.domain_key, '')`;
    case 'device': return sql`c.device_type`;
    case 'qr': return sql`case when c.is_qr = ${dialect.bool(true)} then 'qr' else 'web' end`;
    case 'utm_source': return utmExpr(dialect, 'source');
    case 'utm_medium': return utmExpr(dialect, 'medium');
    case 'utm_campaign': return utmExpr(dialect, 'campaign');
    default: return sql.ref(`c.${dim}`);
  }
}

/** A click counts once per tag of its link (links without tags are absent), and under its link's current campaign. */
export function dimJoin(dim: AnalyticsDimension): RawBuilder<unknown> {
  if (dim === 'tag') return sql`join link_tags t on t.link_id = c.link_id`;
  if (dim === 'campaign') return sql`left join links l on l.id = c.link_id`;
  return sql``;
}

/**
 * The WHERE of a selection over `c`. With `byId` (SQLite only) the workspace
 * and time terms get a unary + so the planner cannot use their index and
 * walks the primary key from the rollup cursor instead: the unfolded tail is
 * seconds of clicks, the workspace's 30 days are millions.
 */
export function selectionWhere(sel: ClickSelection, dialect: SqlDialect, byId = false): RawBuilder<unknown> {
  const p = byId && dialect.name === 'sqlite' ? sql`+` : sql``;
  const no = dialect.bool(false);
  const f = sel.filters;
  const terms: RawBuilder<unknown>[] = [sql`${p}c.workspace_id = ${sel.workspaceId}`, sql`${p}c.ts >= ${sel.fromMs}`, sql`${p}c.ts < ${sel.toMs}`];
  if (!sel.includeBots) terms.push(sql`c.is_bot = ${no}`);
  if (!sel.includeTest) terms.push(sql`c.is_test = ${no}`);
  if (f.link_id !== undefined) terms.push(sql`c.link_id = ${f.link_id}`);
  if (f.tag !== undefined) terms.push(sql`c.link_id in (select link_id from link_tags where workspace_id = ${sel.workspaceId} and tag = ${f.tag})`);
  if (f.campaign !== undefined) terms.push(sql`c.link_id in (select id from links where workspace_id = ${sel.workspaceId} and campaign = ${f.campaign})`);
  if (f.domain !== undefined) terms.push(sql`c.domain_key = ${f.domain ?? ''}`);
  for (const col of ['country', 'city', 'browser', 'os', 'referrer_domain'] as const) {
    const v = f[col];
    if (v !== undefined) terms.push(sql`${sql.ref(`c.${col}`)} = ${v}`);
  }
  if (f.device !== undefined) terms.push(sql`c.device_type = ${f.device}`);
  for (const [field, key] of [['utm_source', 'source'], ['utm_medium', 'medium'], ['utm_campaign', 'campaign']] as const) {
    const v = f[field];
    if (v !== undefined) terms.push(sql`${utmExpr(dialect, key)} = ${v}`);
  }
  if (f.qr !== undefined) terms.push(sql`c.is_qr = ${dialect.bool(f.qr)}`);
  return sql.join(terms, sql` and `);
}

/** True when no filter is set: the rollups hold every click, not a filtered subset. */
export function noFilters(sel: ClickSelection): boolean {
  return Object.values(sel.filters).every((v) => v === undefined);
}
