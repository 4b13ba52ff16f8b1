import type { Click } from '../src/domain/clicks/click.ts';
import type { Link } from '../src/domain/links/link.ts';
import { newId } from '../src/domain/shared/ids.ts';

// Synthetic click log for bench/analytics.ts: deterministic (seeded PRNG), in
// time order (ids are ULIDs of their own ts, as the redirect mints them),
// skewed like real traffic: a Zipf(0.8) link popularity, a few big
// countries and referrers, ~2 clicks per visitor per day, 5% bots, 1% test.

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index i with weight 1 / (i + 1)^s, by binary search over the cumulative weights. */
function zipf(n: number, s: number): (r: number) => number {
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) cum.push((total += 1 / (i + 1) ** s));
  return (r) => {
    const x = r * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'JP', 'NL', 'ES', 'IT', 'PL', 'SE', 'AU', 'MX', 'KR', 'TR', 'ZA', 'AR', 'NG'];
const CITIES = ['Capital', 'Port', 'Northtown', 'Southville', 'Lakeside', 'Hill', 'Riverside', 'Old Town'];
const REFERRERS = ['google.com', 't.co', 'facebook.com', 'linkedin.com', 'news.ycombinator.com', 'reddit.com', 'mail.example.com', 'bing.com', 'duckduckgo.com', 'instagram.com', null];
const BROWSERS = ['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', 'Opera'];
const OSES = ['Windows', 'macOS', 'iOS', 'Android', 'Linux'];
const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const SOURCES = ['newsletter', 'twitter', 'facebook', 'linkedin', 'google', 'partner', null];
const MEDIUMS = ['email', 'social', 'cpc', 'referral', null];

export interface ClickStream {
  /** The next `n` clicks (fewer at the end), ascending in time. */
  next(n: number): Click[];
}

/** `total` clicks spread evenly over [startMs, endMs) across `links`. */
export function syntheticClicks(links: readonly Link[], total: number, startMs: number, endMs: number, seed = 42): ClickStream {
  const rnd = prng(seed);
  const pickLink = zipf(links.length, 0.8);
  const pickCountry = zipf(COUNTRIES.length, 1.1);
  const pickReferrer = zipf(REFERRERS.length, 1);
  const step = (endMs - startMs) / total;
  const perDay = total / ((endMs - startMs) / 86_400_000);
  const visitorsPerDay = Math.max(1, Math.round(perDay / 2));
  let i = 0;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return {
    next(n) {
      const out: Click[] = [];
      for (; out.length < n && i < total; i++) {
        const ms = Math.floor(startMs + i * step);
        out.push(makeClick(links[pickLink(rnd())] as Link, ms, {
          country: COUNTRIES[pickCountry(rnd())] as string,
          city: pick(CITIES),
          referrer: REFERRERS[pickReferrer(rnd())] ?? null,
          browser: pick(BROWSERS),
          os: pick(OSES),
          device: pick(DEVICES),
          source: pick(SOURCES),
          medium: pick(MEDIUMS),
          visitor: `${Math.floor(ms / 86_400_000).toString(36)}-${Math.floor(rnd() * visitorsPerDay).toString(36)}`,
          r: rnd(),
        }));
      }
      return out;
    },
  };
}

interface Traits {
  country: string;
  city: string;
  referrer: string | null;
  browser: string;
  os: string;
  device: (typeof DEVICES)[number];
  source: string | null;
  medium: string | null;
  visitor: string;
  /** One uniform draw decides bot (5%), test (1%) and QR (15%). */
  r: number;
}

export function makeClick(link: Link, ms: number, t: Traits): Click {
  const isBot = t.r < 0.05;
  const click: Click = {
    id: newId('click', ms),
    workspaceId: link.workspaceId,
    linkId: link.id,
    ts: new Date(ms).toISOString(),
    domain: link.domain,
    slug: link.slug,
    method: 'GET',
    referrer: t.referrer === null ? null : `https://${t.referrer}/`,
    referrerDomain: t.referrer,
    userAgent: 'Mozilla/5.0',
    browser: t.browser,
    browserVersion: '120.0',
    os: t.os,
    deviceType: isBot ? 'bot' : t.device,
    isBot,
    botReason: isBot ? 'user-agent' : null,
    country: t.country,
    region: null,
    city: t.city,
    isQr: t.r > 0.85,
    isTest: t.r >= 0.05 && t.r < 0.06,
    visitorHash: t.visitor,
    ip: null,
    utm: {},
  };
  // Assigned, not spread: three object spreads per click were a third of the generator's time.
  if (t.source) click.utm.source = t.source;
  if (t.medium) click.utm.medium = t.medium;
  if (link.campaign) click.utm.campaign = link.campaign;
  return click;
}
