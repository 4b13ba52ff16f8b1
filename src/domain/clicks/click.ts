import type { Utm } from '../links/link.ts';

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'tv', 'console', 'wearable', 'embedded', 'bot', 'unknown'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** One visit to a short link, enriched at the moment of the redirect. */
export interface Click {
  id: string;
  workspaceId: string;
  linkId: string;
  /** ISO 8601 with milliseconds, UTC. */
  ts: string;
  /** Host the request came in on (custom domain) or null for the default domain. */
  domain: string | null;
  slug: string;
  method: 'GET' | 'HEAD';
  referrer: string | null;
  referrerDomain: string | null;
  userAgent: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  deviceType: DeviceType;
  isBot: boolean;
  /** Why it was flagged: 'user-agent', 'preview', 'head', ... null for humans. */
  botReason: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  isQr: boolean;
  isTest: boolean;
  /** Daily-salted hash of IP + user agent: counts unique visitors without storing the IP. */
  visitorHash: string;
  /** Raw IP, only when the operator turns LINKHOOK_STORE_IP on. */
  ip: string | null;
  utm: Utm;
}

export interface LinkStats {
  /** Human, non-test visits, QR scans included. */
  clicks: number;
  /** The QR share of `clicks`. */
  scans: number;
  /** Visits by bots and preview fetchers (non-test). */
  bots: number;
  /** Visits flagged as test traffic, human or not. */
  test: number;
}
