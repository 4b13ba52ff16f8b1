import type { Click } from '../../src/domain/clicks/click.ts';
import type { CustomDomain } from '../../src/domain/domains/custom-domain.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { newId, randomBase62 } from '../../src/domain/shared/ids.ts';
import type { Workspace } from '../../src/domain/workspaces/workspace.ts';

// Domain objects for storage tests, with every field set so a round trip
// through the database proves each column.

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
let tick = 0;
/** Distinct, increasing ISO times, so ids and timestamps sort the same way. */
export function nextTime(): string {
  return new Date(T0 + ++tick * 1000).toISOString();
}

export async function addWorkspace(storage: Storage, slug = `ws-${randomBase62(8).toLowerCase()}`): Promise<Workspace> {
  const ws: Workspace = { id: newId('workspace'), slug, name: `Workspace ${slug}`, createdAt: nextTime() };
  await storage.workspaces.insert(ws);
  return ws;
}

export function makeLink(workspaceId: string, over: Partial<Link> = {}): Link {
  const now = nextTime();
  return {
    id: newId('link'),
    workspaceId,
    domain: null,
    slug: randomBase62(9),
    url: 'https://example.com/landing?x=1',
    redirectType: 302,
    title: null,
    tags: [],
    campaign: null,
    utm: {},
    priority: 'normal',
    owner: null,
    expiresAt: null,
    expiredUrl: null,
    scheduledChanges: [],
    isTest: false,
    externalId: null,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

/** A link with every optional field filled. */
export function makeFullLink(workspaceId: string): Link {
  return makeLink(workspaceId, {
    domain: 'go.example.com',
    redirectType: 308,
    title: 'Spring sale',
    tags: ['promo', 'spring'],
    campaign: 'spring-2025',
    utm: { source: 'newsletter', medium: 'email', campaign: 'spring', term: 'shoes', content: 'hero' },
    priority: 'high',
    owner: 'ana@example.com',
    expiresAt: '2026-01-01T00:00:00.000Z',
    expiredUrl: 'https://example.com/expired',
    scheduledChanges: [{ at: '2025-06-01T00:00:00.000Z', url: 'https://example.com/summer' }, { at: '2025-09-01T00:00:00.000Z', action: 'disable' }],
    isTest: true,
    externalId: 'crm-4711',
    metadata: { contact: 'c_123', conversation: 'conv 9' },
  });
}

export function makeClick(link: Pick<Link, 'id' | 'workspaceId' | 'domain' | 'slug'>, over: Partial<Click> = {}): Click {
  return {
    id: newId('click'),
    workspaceId: link.workspaceId,
    linkId: link.id,
    ts: nextTime(),
    domain: link.domain,
    slug: link.slug,
    method: 'GET',
    referrer: 'https://news.example.org/article?id=1',
    referrerDomain: 'news.example.org',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
    browser: 'Chrome',
    browserVersion: '120.0',
    os: 'Linux',
    deviceType: 'desktop',
    isBot: false,
    botReason: null,
    country: 'DE',
    region: 'BE',
    city: 'Berlin',
    isQr: false,
    isTest: false,
    visitorHash: 'a1b2c3d4e5f60718',
    ip: null,
    utm: { source: 'newsletter' },
    ...over,
  };
}

export function makeDomain(workspaceId: string, hostname: string): CustomDomain {
  return {
    id: newId('domain'),
    workspaceId,
    hostname,
    status: 'pending',
    verificationToken: randomBase62(24),
    fallbackUrl: null,
    lastCheckMessage: null,
    lastCheckedAt: null,
    verifiedAt: null,
    createdAt: nextTime(),
  };
}
