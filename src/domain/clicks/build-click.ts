import { newId } from '../shared/ids.ts';
import type { Link } from '../links/link.ts';
import { MAX_URL_LENGTH } from '../links/destination-url.ts';
import type { GeoLookup, UserAgentParser } from '../ports.ts';
import type { Click } from './click.ts';
import type { TestIpRanges } from './test-traffic.ts';
import { isTestVisit } from './test-traffic.ts';
import type { VisitorHasher } from './visitor-hash.ts';

/** What the redirect saw of one request, already pulled out of HTTP. */
export interface Visit {
  method: 'GET' | 'HEAD';
  /** Custom-domain hostname the request came in on, or null for the default domain. */
  domain: string | null;
  slug: string;
  /** Client IP (honours X-Forwarded-For only when the operator trusts a proxy). */
  ip: string;
  userAgent: string | undefined;
  referrer: string | undefined;
  /** lh_qr=1 was on the query string: the visit came from scanning the link's QR code. */
  isQr: boolean;
  /** lh_test=1 was on the query string. */
  testQuery: boolean;
  /** Value of the X-Linkhook-Test header, if any. */
  testHeader: string | undefined;
}

/** The enrichment a click needs, built once per process. */
export interface ClickEnricher {
  ua: UserAgentParser;
  geo: GeoLookup;
  hasher: VisitorHasher;
  testIps: TestIpRanges;
  /** LINKHOOK_STORE_IP: keep the raw IP next to the hash (off by default). */
  storeIp: boolean;
}

// Browsers send user agents of 100-300 characters; 1,024 keeps every real one
// whole while a client stuffing a 16 KB header cannot bloat the click log.
const MAX_USER_AGENT = 1024;

export function buildClick(link: Link, visit: Visit, now: Date, e: ClickEnricher): Click {
  const userAgent = visit.userAgent ? visit.userAgent.slice(0, MAX_USER_AGENT) : null;
  const referrer = visit.referrer ? visit.referrer.slice(0, MAX_URL_LENGTH) : null;
  const ua = e.ua.parse(userAgent);
  const geo = e.geo.lookup(visit.ip);
  // A HEAD request fetches headers only: link checkers, unfurlers and
  // monitoring probes do that, a person clicking never does.
  const head = visit.method === 'HEAD';
  const isBot = ua.isBot || head;
  return {
    id: newId('click', now.getTime()),
    workspaceId: link.workspaceId,
    linkId: link.id,
    ts: now.toISOString(),
    domain: visit.domain,
    slug: visit.slug,
    method: visit.method,
    referrer,
    referrerDomain: referrer === null ? null : referrerDomainOf(referrer),
    userAgent,
    browser: ua.browser,
    browserVersion: ua.browserVersion,
    os: ua.os,
    deviceType: ua.deviceType,
    isBot,
    botReason: ua.isBot ? ua.botReason : head ? 'head' : null,
    country: geo.country,
    region: geo.region,
    city: geo.city,
    isQr: visit.isQr,
    isTest: isTestVisit({ header: visit.testHeader, queryMarker: visit.testQuery, ip: visit.ip, linkIsTest: link.isTest }, e.testIps),
    visitorHash: e.hasher.hash(visit.ip, userAgent, now),
    ip: e.storeIp ? visit.ip : null,
    utm: link.utm,
  };
}

/** Lower-cased host of an http(s) referrer; null for anything else (android-app://, garbage). */
export function referrerDomainOf(referrer: string): string | null {
  let url: URL;
  try {
    url = new URL(referrer);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.hostname === '' ? null : url.hostname;
}
