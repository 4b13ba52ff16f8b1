import type { Insertable, Selectable } from 'kysely';
import type { Click } from '../../../domain/clicks/click.ts';
import type { CustomDomain } from '../../../domain/domains/custom-domain.ts';
import type { Link } from '../../../domain/links/link.ts';
import type { ApiKey, Workspace } from '../../../domain/workspaces/workspace.ts';
import type { ApiKeysTable, ClicksTable, DomainsTable, LinksTable, WorkspacesTable } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';

// Domain objects <-> rows. The domain speaks ISO strings, null for the default
// domain and plain booleans; the rows speak epoch ms, '' and 0/1 (SQLite).

export function toMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not a timestamp: ${iso}`);
  return ms;
}

export function toMsOrNull(iso: string | null): number | null {
  return iso === null ? null : toMs(iso);
}

/** pg hands int8 back as a string unless a type parser says otherwise; accept both. */
export function toIso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

export function toIsoOrNull(ms: number | string | null): string | null {
  return ms === null ? null : toIso(ms);
}

export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function domainKey(domain: string | null): string {
  return domain ?? '';
}

export function domainFromKey(key: string): string | null {
  return key === '' ? null : key;
}

export function workspaceToRow(ws: Workspace): Insertable<WorkspacesTable> {
  return { id: ws.id, slug: ws.slug, name: ws.name, created_at: toMs(ws.createdAt) };
}

export function workspaceFromRow(r: Selectable<WorkspacesTable>): Workspace {
  return { id: r.id, slug: r.slug, name: r.name, createdAt: toIso(r.created_at) };
}

export function apiKeyToRow(k: ApiKey): Insertable<ApiKeysTable> {
  return {
    id: k.id,
    workspace_id: k.workspaceId,
    name: k.name,
    prefix: k.prefix,
    hash: k.hash,
    scopes: JSON.stringify(k.scopes),
    created_at: toMs(k.createdAt),
    revoked_at: toMsOrNull(k.revokedAt),
  };
}

export function apiKeyFromRow(r: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    prefix: r.prefix,
    hash: r.hash,
    scopes: parseJson(r.scopes),
    createdAt: toIso(r.created_at),
    revokedAt: toIsoOrNull(r.revoked_at),
  };
}

export function linkToRow(l: Link, d: Pick<SqlDialect, 'bool'>): Insertable<LinksTable> {
  return {
    id: l.id,
    workspace_id: l.workspaceId,
    domain_key: domainKey(l.domain),
    slug: l.slug,
    url: l.url,
    redirect_type: l.redirectType,
    title: l.title,
    tags: JSON.stringify(l.tags),
    campaign: l.campaign,
    utm: JSON.stringify(l.utm),
    priority: l.priority,
    owner: l.owner,
    expires_at: toMsOrNull(l.expiresAt),
    expired_url: l.expiredUrl,
    scheduled_changes: JSON.stringify(l.scheduledChanges),
    is_test: d.bool(l.isTest),
    external_id: l.externalId,
    metadata: JSON.stringify(l.metadata),
    created_at: toMs(l.createdAt),
    updated_at: toMs(l.updatedAt),
  };
}

export function linkFromRow(r: Selectable<LinksTable>): Link {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    domain: domainFromKey(r.domain_key),
    slug: r.slug,
    url: r.url,
    redirectType: r.redirect_type as Link['redirectType'],
    title: r.title,
    tags: parseJson(r.tags),
    campaign: r.campaign,
    utm: parseJson(r.utm),
    priority: r.priority as Link['priority'],
    owner: r.owner,
    expiresAt: toIsoOrNull(r.expires_at),
    expiredUrl: r.expired_url,
    scheduledChanges: parseJson(r.scheduled_changes),
    isTest: Boolean(r.is_test),
    externalId: r.external_id,
    metadata: parseJson(r.metadata),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function clickToRow(c: Click, d: Pick<SqlDialect, 'bool'>): Insertable<ClicksTable> {
  return {
    id: c.id,
    workspace_id: c.workspaceId,
    link_id: c.linkId,
    ts: toMs(c.ts),
    domain_key: domainKey(c.domain),
    slug: c.slug,
    method: c.method,
    referrer: c.referrer,
    referrer_domain: c.referrerDomain,
    user_agent: c.userAgent,
    browser: c.browser,
    browser_version: c.browserVersion,
    os: c.os,
    device_type: c.deviceType,
    is_bot: d.bool(c.isBot),
    bot_reason: c.botReason,
    country: c.country,
    region: c.region,
    city: c.city,
    is_qr: d.bool(c.isQr),
    is_test: d.bool(c.isTest),
    visitor_hash: c.visitorHash,
    ip: c.ip,
    utm: JSON.stringify(c.utm),
  };
}

/** Every clicks column, in the order positional writers bind them. */
export const CLICK_COLUMNS = [
  'id', 'workspace_id', 'link_id', 'ts', 'domain_key', 'slug', 'method', 'referrer', 'referrer_domain',
  'user_agent', 'browser', 'browser_version', 'os', 'device_type', 'is_bot', 'bot_reason',
  'country', 'region', 'city', 'is_qr', 'is_test', 'visitor_hash', 'ip', 'utm',
] as const satisfies readonly (keyof ClicksTable)[];

// Compile-time check that CLICK_COLUMNS names every column: adding a column to
// ClicksTable without listing it here fails type-checking.
type MissingClickColumn = Exclude<keyof ClicksTable, (typeof CLICK_COLUMNS)[number]>;
const _allClickColumns: [MissingClickColumn] extends [never] ? true : MissingClickColumn = true;

export function clickFromRow(r: Selectable<ClicksTable>): Click {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    linkId: r.link_id,
    ts: toIso(r.ts),
    domain: domainFromKey(r.domain_key),
    slug: r.slug,
    method: r.method as Click['method'],
    referrer: r.referrer,
    referrerDomain: r.referrer_domain,
    userAgent: r.user_agent,
    browser: r.browser,
    browserVersion: r.browser_version,
    os: r.os,
    deviceType: r.device_type as Click['deviceType'],
    isBot: Boolean(r.is_bot),
    botReason: r.bot_reason,
    country: r.country,
    region: r.region,
    city: r.city,
    isQr: Boolean(r.is_qr),
    isTest: Boolean(r.is_test),
    visitorHash: r.visitor_hash,
    ip: r.ip,
    utm: parseJson(r.utm),
  };
}

export function domainToRow(x: CustomDomain): Insertable<DomainsTable> {
  return {
    id: x.id,
    workspace_id: x.workspaceId,
    hostname: x.hostname,
    status: x.status,
    verification_token: x.verificationToken,
    fallback_url: x.fallbackUrl,
    last_check_message: x.lastCheckMessage,
    last_checked_at: toMsOrNull(x.lastCheckedAt),
    verified_at: toMsOrNull(x.verifiedAt),
    created_at: toMs(x.createdAt),
  };
}

export function domainFromRow(r: Selectable<DomainsTable>): CustomDomain {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    hostname: r.hostname,
    status: r.status as CustomDomain['status'],
    verificationToken: r.verification_token,
    fallbackUrl: r.fallback_url,
    lastCheckMessage: r.last_check_message,
    lastCheckedAt: toIsoOrNull(r.last_checked_at),
    verifiedAt: toIsoOrNull(r.verified_at),
    createdAt: toIso(r.created_at),
  };
}
