import type { HttpClient } from '../delivery/destination.ts';
import { OutboundError } from '../delivery/destination.ts';
import type { HealthCheck } from './link-monitor.ts';

// One health check of a destination: request it through the SSRF-guarded
// client, follow redirects BY HAND (the client never follows them, and every
// hop must pass the guard again: a public page redirecting to 169.254.169.254
// is refused at that hop), and say what is wrong in one error class.
//
// HEAD first: a check should not download a 2 MB landing page every five
// minutes. Servers that do not implement HEAD answer 405 or 501; those get a
// GET. (Some answer HEAD with 404 or 403 while GET works; that is rare enough
// that we report it rather than double every check.)

export const DEFAULT_MAX_HOPS = 5;

// "Which site is this?" for the health monitor's off-domain check: a
// destination on shop.acme.example that ends on www.acme.example is fine; one
// that ends on a parking page or a login wall somewhere else is not.
//
// Without the full Public Suffix List (~10k rules, a moving target), the
// registrable domain is the last two labels, or three under the common
// two-part suffixes below (co.uk, com.au...). A suffix missing here only makes
// the check stricter (acme.xx.yy and other.xx.yy look different), and a rule
// can always name its own `expected_domains`.

const TWO_PART_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'ltd.uk', 'plc.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au',
  'co.nz', 'org.nz', 'co.jp', 'ne.jp', 'or.jp', 'co.kr', 'or.kr',
  'com.br', 'net.br', 'org.br', 'com.mx', 'com.ar', 'com.tr', 'com.cn', 'com.hk', 'com.sg', 'com.tw',
  'co.in', 'net.in', 'org.in', 'co.za', 'co.il', 'com.my', 'com.ph', 'com.vn', 'com.pl', 'com.ua',
]);

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Lower-case host without the trailing dot or IPv6 brackets. */
export function normalizeHostname(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** acme.example for shop.acme.example; the address itself for an IP literal. */
export function registrableDomain(host: string): string {
  const h = normalizeHostname(host);
  if (IPV4.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join('.');
  const take = TWO_PART_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** True when `host` is one of `domains` or a subdomain of one. */
export function hostMatches(host: string, domains: readonly string[]): boolean {
  const h = normalizeHostname(host);
  return domains.some((d) => {
    const want = normalizeHostname(d);
    return h === want || h.endsWith(`.${want}`);
  });
}

export interface CheckDestinationOptions {
  http: HttpClient;
  /** Redirects followed before the chain counts as too long. */
  maxHops?: number;
  /** Hosts (and their subdomains) the chain may end on; default: the destination's registrable domain. */
  expectedDomains?: readonly string[];
  /** Per request. */
  timeoutMs: number;
  now: Date;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = { 'user-agent': 'linkhook-health/1 (+destination check)', accept: '*/*' };

/** The URL without its fragment: #a and #b are the same resource (and the same loop). */
function withoutHash(u: URL): string {
  const c = new URL(u.href);
  c.hash = '';
  return c.href;
}

async function fetchOnce(http: HttpClient, url: string, timeoutMs: number) {
  const head = await http.request({ method: 'HEAD', url, headers: HEADERS, timeoutMs });
  if (head.status !== 405 && head.status !== 501) return head;
  return http.request({ method: 'GET', url, headers: HEADERS, timeoutMs });
}

export async function checkDestination(url: string, options: CheckDestinationOptions): Promise<HealthCheck> {
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  const started = performance.now();
  const chain: string[] = [];
  const seen = new Set<string>();
  const expected = options.expectedDomains && options.expectedDomains.length > 0 ? options.expectedDomains : [registrableDomain(new URL(url).hostname)];

  const result = (status: number | null, errorClass: string | null, error: string | null, finalUrl: string | null): HealthCheck => ({
    url,
    checkedAt: options.now.toISOString(),
    status,
    errorClass,
    error,
    durationMs: Math.round(performance.now() - started),
    finalUrl,
    chain,
  });

  let current = new URL(url);
  for (;;) {
    const here = withoutHash(current);
    seen.add(here);
    chain.push(current.href);
    let res: Awaited<ReturnType<HttpClient['request']>>;
    try {
      res = await fetchOnce(options.http, current.href, options.timeoutMs);
    } catch (err) {
      if (err instanceof OutboundError) return result(null, err.errorClass, err.message, null);
      throw err;
    }
    const location = res.headers.location;
    if (REDIRECTS.has(res.status) && location !== undefined && location !== '') {
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return result(res.status, 'http_status', `HTTP ${res.status} with an invalid Location: ${location}`, current.href);
      }
      if (seen.has(withoutHash(next))) {
        return result(res.status, 'redirect_loop', `redirect loop: ${current.href} redirects back to ${next.href} after ${chain.length} requests`, current.href);
      }
      if (chain.length > maxHops) {
        return result(res.status, 'too_many_hops', `more than ${maxHops} redirects (${chain[0]} -> ... -> ${next.href})`, current.href);
      }
      current = next;
      continue;
    }
    if (res.status >= 400) return result(res.status, 'http_status', `HTTP ${res.status} from ${current.href}`, current.href);
    if (res.status >= 300) return result(res.status, 'http_status', `HTTP ${res.status} without a Location to follow`, current.href);
    if (!hostMatches(current.hostname, expected)) {
      return result(res.status, 'unexpected_domain', `ended on ${current.hostname}, outside the expected ${expected.join(', ')} (${chain.length - 1} redirects from ${url})`, current.href);
    }
    return result(res.status, null, null, current.href);
  }
}
