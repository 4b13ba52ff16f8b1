import type { CustomDomain } from '../../domain/domains/custom-domain.ts';
import type { Link } from '../../domain/links/link.ts';
import type { InvalidationKey, Storage } from '../../domain/ports.ts';
import { LruCache } from './lru-cache.ts';

/** Host header (any case, maybe with a port or a trailing dot) to the bare lower-case hostname. */
export function hostnameOf(rawHost: string): string {
  let h = rawHost;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    if (end !== -1) h = h.slice(0, end + 1);
  } else {
    const colon = h.indexOf(':');
    if (colon !== -1) h = h.slice(0, colon);
  }
  h = h.toLowerCase();
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

// IP literals and empty hosts are never custom domains: no lookup needed.
const NOT_A_DOMAIN = /^(?:\[.*\]|[0-9.]*)$/;

/**
 * Answers "which verified custom domain is this Host?" and "which link is
 * (domain, slug)?" from memory whenever it can, so a redirect for a known
 * link never waits for the database.
 *
 * - Misses are cached too (null): a scanner walking random slugs, or traffic
 *   on an IP-literal Host, costs one query per key per TTL, not one per request.
 * - Hosts are cached by the raw header value, so the common request costs one
 *   Map lookup with no string work; a changed domain drops every spelling of it.
 * - Concurrent misses for one key share one query. A change announced while
 *   that query runs wins: its (possibly stale) answer is returned to the
 *   requests already waiting but not cached.
 * - storage.onInvalidate drops a key as soon as a link or domain changes, in
 *   this process and (PostgreSQL) in every other one; the TTL bounds staleness
 *   if a notification is ever missed.
 */
export class RedirectLookup {
  private readonly hosts: LruCache<CustomDomain | null>;
  private readonly links: LruCache<Link | null>;
  private readonly hostLoads = new Map<string, Promise<CustomDomain | null>>();
  private readonly linkLoads = new Map<string, Promise<Link | null>>();

  constructor(
    private readonly storage: Storage,
    private readonly defaultHost: string,
    cacheSize: number,
    ttlMs: number,
  ) {
    // Hosts are few (the default domain plus custom ones); the bound only
    // stops a client inventing Host headers from growing memory.
    this.hosts = new LruCache(Math.min(cacheSize, 10_000), ttlMs);
    this.links = new LruCache(cacheSize, ttlMs);
    storage.onInvalidate((key) => this.invalidate(key));
  }

  /** Verified custom domain for a raw Host header, null for the default domain; undefined when not cached. */
  peekHost(rawHost: string): CustomDomain | null | undefined {
    return this.hosts.get(rawHost);
  }

  loadHost(rawHost: string): Promise<CustomDomain | null> {
    const hostname = hostnameOf(rawHost);
    if (hostname === this.defaultHost || NOT_A_DOMAIN.test(hostname)) {
      this.hosts.set(rawHost, null);
      return Promise.resolve(null);
    }
    return this.singleFlight(this.hostLoads, this.hosts, rawHost, async () => {
      const domain = await this.storage.domains.getByHostname(hostname);
      // Pending or failed domains are served as the default domain.
      return domain !== undefined && domain.status === 'verified' ? domain : null;
    });
  }

  peekLink(domain: string | null, slug: string): Link | null | undefined {
    return this.links.get(linkKey(domain, slug));
  }

  loadLink(domain: string | null, slug: string): Promise<Link | null> {
    return this.singleFlight(this.linkLoads, this.links, linkKey(domain, slug), async () => (await this.storage.links.findBySlug(domain, slug)) ?? null);
  }

  invalidate(key: InvalidationKey): void {
    if (key.kind === 'link') {
      const k = linkKey(key.domain, key.slug);
      this.links.delete(k);
      this.linkLoads.delete(k);
      return;
    }
    if (key.kind !== 'domain') return;
    const hostname = key.hostname.toLowerCase();
    const sameHost = (raw: string): boolean => hostnameOf(raw) === hostname;
    this.hosts.deleteWhere(sameHost);
    for (const raw of [...this.hostLoads.keys()]) if (sameHost(raw)) this.hostLoads.delete(raw);
    const prefix = `${hostname}/`;
    this.links.deleteWhere((k) => k.startsWith(prefix));
    for (const k of [...this.linkLoads.keys()]) if (k.startsWith(prefix)) this.linkLoads.delete(k);
  }

  private singleFlight<V>(loads: Map<string, Promise<V>>, cache: LruCache<V>, key: string, load: () => Promise<V>): Promise<V> {
    const running = loads.get(key);
    if (running !== undefined) return running;
    const p = load();
    loads.set(key, p);
    const settle = (): void => {
      if (loads.get(key) === p) loads.delete(key);
    };
    p.then((value) => {
      // Still ours: no invalidation arrived while the query ran.
      if (loads.get(key) === p) cache.set(key, value);
      settle();
    }, settle);
    return p;
  }
}

// Slugs never contain '/', so "slug" (default domain) and "host/slug" cannot collide.
function linkKey(domain: string | null, slug: string): string {
  return domain === null ? slug : `${domain}/${slug}`;
}
