import type { Repos } from '../ports.ts';
import { AppError, validationError } from '../shared/errors.ts';
import { randomBase62 } from '../shared/ids.ts';
import type { CreateLinkInput, UpdateLinkInput } from './link-input.ts';
import type { Link, Utm } from './link.ts';
import { RANDOM_SLUG_LENGTH, UTM_KEYS } from './link.ts';

/** Lower-case ASCII form of a hostname as typed (IDN allowed), or null if it is not one. */
export function normaliseHostname(raw: string): string | null {
  try {
    const host = new URL(`http://${raw.trim()}/`).hostname;
    return host === '' || raw.includes('/') ? null : host;
  } catch {
    return null;
  }
}

/**
 * Resolves the `domain` a caller named to what a link stores: null for the
 * default domain, or the hostname of a verified custom domain of the workspace.
 */
export async function resolveLinkDomain(repos: Repos, workspaceId: string, defaultHost: string, raw: string | null | undefined): Promise<string | null> {
  if (raw === undefined || raw === null) return null;
  const host = normaliseHostname(raw);
  if (host === null) throw validationError([{ field: 'domain', message: 'must be a hostname such as go.example.com' }]);
  if (host === defaultHost) return null;
  const domain = await repos.domains.getByHostname(host);
  if (!domain || domain.workspaceId !== workspaceId) {
    throw new AppError('domain_not_verified', `Domain ${host} is not a domain of this workspace`, { domain: host });
  }
  if (domain.status !== 'verified') {
    throw new AppError('domain_not_verified', `Domain ${host} is not verified yet (status: ${domain.status})`, { domain: host, status: domain.status });
  }
  return host;
}

function cleanUtm(utm: Utm | undefined): Utm {
  const out: Utm = {};
  for (const k of UTM_KEYS) {
    const v = utm?.[k]?.trim();
    if (v) out[k] = v;
  }
  return out;
}

function cleanTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))];
}

/** 62^7 ≈ 3.5e12 slugs: a collision is rare, so a few retries are plenty. */
export async function pickRandomSlug(repos: Repos, domain: string | null): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = randomBase62(RANDOM_SLUG_LENGTH + Math.floor(attempt / 2));
    if (!(await repos.links.slugExists(domain, slug))) return slug;
  }
  throw new AppError('internal_error', 'Could not find a free random slug');
}

function checkExpiry(link: Pick<Link, 'expiresAt' | 'expiredUrl'>): void {
  if (link.expiredUrl !== null && link.expiresAt === null) {
    throw validationError([{ field: 'expired_url', message: 'needs expires_at' }]);
  }
}

export function newLinkFromInput(input: CreateLinkInput, base: { id: string; workspaceId: string; domain: string | null; slug: string; now: string }): Link {
  const link: Link = {
    id: base.id,
    workspaceId: base.workspaceId,
    domain: base.domain,
    slug: base.slug,
    url: input.url,
    redirectType: input.redirect_type ?? 302,
    title: input.title ?? null,
    tags: cleanTags(input.tags),
    campaign: input.campaign ?? null,
    utm: cleanUtm(input.utm),
    priority: input.priority ?? 'normal',
    owner: input.owner ?? null,
    expiresAt: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    expiredUrl: input.expired_url ?? null,
    scheduledChanges: (input.scheduled_changes ?? []).map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    isTest: input.is_test ?? false,
    externalId: input.external_id ?? null,
    metadata: input.metadata ?? {},
    createdAt: base.now,
    updatedAt: base.now,
  };
  checkExpiry(link);
  return link;
}

/** The link after a PATCH: only fields present in the input change. */
export function applyUpdate(link: Link, input: UpdateLinkInput, domain: string | null, now: string): Link {
  const next: Link = { ...link, domain, updatedAt: now };
  if (input.url !== undefined) next.url = input.url;
  if (input.slug !== undefined) next.slug = input.slug;
  if (input.redirect_type !== undefined) next.redirectType = input.redirect_type;
  if (input.title !== undefined) next.title = input.title;
  if (input.tags !== undefined) next.tags = cleanTags(input.tags);
  if (input.campaign !== undefined) next.campaign = input.campaign;
  if (input.utm !== undefined) next.utm = cleanUtm(input.utm);
  if (input.priority !== undefined) next.priority = input.priority;
  if (input.owner !== undefined) next.owner = input.owner;
  if (input.expires_at !== undefined) next.expiresAt = input.expires_at === null ? null : new Date(input.expires_at).toISOString();
  if (input.expired_url !== undefined) next.expiredUrl = input.expired_url;
  if (input.scheduled_changes !== undefined) next.scheduledChanges = input.scheduled_changes.map((c) => ({ ...c, at: new Date(c.at).toISOString() }));
  if (input.is_test !== undefined) next.isTest = input.is_test;
  if (input.external_id !== undefined) next.externalId = input.external_id;
  if (input.metadata !== undefined) next.metadata = input.metadata;
  checkExpiry(next);
  return next;
}
