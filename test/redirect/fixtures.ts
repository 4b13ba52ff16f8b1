// Plain objects the redirect unit tests build clicks and links from.
import type { Click } from '../../src/domain/clicks/click.ts';
import type { Link } from '../../src/domain/links/link.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import { makeLink } from '../storage/fixtures.ts';

export function sampleLink(over: Partial<Link> = {}): Link {
  return makeLink('ws_test', { slug: 'promo', url: 'https://example.com/landing', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over });
}

export function sampleClick(linkId: string, over: Partial<Click> = {}): Click {
  const ts = new Date();
  return {
    id: newId('click', ts.getTime()),
    workspaceId: 'ws_test',
    linkId,
    ts: ts.toISOString(),
    domain: null,
    slug: 'promo',
    method: 'GET',
    referrer: null,
    referrerDomain: null,
    userAgent: null,
    browser: null,
    browserVersion: null,
    os: null,
    deviceType: 'unknown',
    isBot: false,
    botReason: null,
    country: null,
    region: null,
    city: null,
    isQr: false,
    isTest: false,
    visitorHash: '0'.repeat(32),
    ip: null,
    utm: {},
    ...over,
  };
}

export const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
export const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
