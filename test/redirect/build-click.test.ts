import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createGeoLookup } from '../../src/adapters/geo/create-geo-lookup.ts';
import { createUserAgentParser } from '../../src/adapters/ua/create-user-agent-parser.ts';
import type { ClickEnricher, Visit } from '../../src/domain/clicks/build-click.ts';
import { buildClick, referrerDomainOf } from '../../src/domain/clicks/build-click.ts';
import { TestIpRanges } from '../../src/domain/clicks/test-traffic.ts';
import { VisitorHasher } from '../../src/domain/clicks/visitor-hash.ts';
import { hasPrefix } from '../../src/domain/shared/ids.ts';
import { CHROME_MAC, GOOGLEBOT, SAFARI_IPHONE, SLACKBOT, sampleLink } from './fixtures.ts';

describe('buildClick', () => {
  let enricher: ClickEnricher;
  const now = new Date('2026-05-01T12:00:00.123Z');
  const link = sampleLink({ utm: { source: 'newsletter', campaign: 'may' } });
  const visit = (over: Partial<Visit> = {}): Visit => ({
    method: 'GET',
    domain: null,
    slug: link.slug,
    ip: '8.8.8.8',
    userAgent: CHROME_MAC,
    referrer: 'https://News.Example.org/story?id=1',
    isQr: false,
    testQuery: false,
    testHeader: undefined,
    ...over,
  });

  before(async () => {
    enricher = {
      ua: createUserAgentParser(),
      geo: await createGeoLookup(),
      hasher: new VisitorHasher('unit-test-secret-123'),
      testIps: new TestIpRanges(['10.0.0.0/8']),
      storeIp: false,
    };
  });

  it('fills every field of a human click from the link, the request and the clock', () => {
    const c = buildClick(link, visit(), now, enricher);
    assert.ok(hasPrefix(c.id, 'click'));
    assert.equal(c.linkId, link.id);
    assert.equal(c.workspaceId, link.workspaceId);
    assert.equal(c.ts, '2026-05-01T12:00:00.123Z');
    assert.equal(c.slug, 'promo');
    assert.equal(c.method, 'GET');
    assert.equal(c.referrer, 'https://News.Example.org/story?id=1');
    assert.equal(c.referrerDomain, 'news.example.org');
    assert.equal(c.browser, 'Chrome');
    assert.match(c.os ?? '', /^mac ?os/i);
    assert.equal(c.deviceType, 'desktop');
    assert.equal(c.isBot, false);
    assert.equal(c.botReason, null);
    assert.equal(c.country, 'US');
    assert.equal(c.isQr, false);
    assert.equal(c.isTest, false);
    assert.match(c.visitorHash, /^[0-9a-f]{32}$/);
    assert.equal(c.ip, null, 'raw IP is not stored by default');
    assert.deepEqual(c.utm, { source: 'newsletter', campaign: 'may' });
  });

  it('parses a phone', () => {
    const c = buildClick(link, visit({ userAgent: SAFARI_IPHONE }), now, enricher);
    assert.equal(c.deviceType, 'mobile');
    assert.equal(c.os, 'iOS');
  });

  it('flags crawlers and preview fetchers as bots', () => {
    const g = buildClick(link, visit({ userAgent: GOOGLEBOT }), now, enricher);
    assert.equal(g.isBot, true);
    assert.equal(g.botReason, 'user-agent');
    const s = buildClick(link, visit({ userAgent: SLACKBOT }), now, enricher);
    assert.equal(s.isBot, true);
    assert.equal(s.botReason, 'preview');
  });

  it('counts a HEAD request as non-human even with a browser user agent', () => {
    const c = buildClick(link, visit({ method: 'HEAD' }), now, enricher);
    assert.equal(c.method, 'HEAD');
    assert.equal(c.isBot, true);
    assert.equal(c.botReason, 'head');
  });

  it('marks QR scans and test traffic from each signal', () => {
    assert.equal(buildClick(link, visit({ isQr: true }), now, enricher).isQr, true);
    assert.equal(buildClick(link, visit({ testQuery: true }), now, enricher).isTest, true);
    assert.equal(buildClick(link, visit({ testHeader: '1' }), now, enricher).isTest, true);
    assert.equal(buildClick(link, visit({ ip: '10.9.8.7' }), now, enricher).isTest, true);
    assert.equal(buildClick(sampleLink({ isTest: true }), visit(), now, enricher).isTest, true);
  });

  it('stores the raw IP only when the operator asks for it', () => {
    const c = buildClick(link, visit(), now, { ...enricher, storeIp: true });
    assert.equal(c.ip, '8.8.8.8');
  });

  it('caps oversized user agents and referrers', () => {
    const c = buildClick(link, visit({ userAgent: 'x'.repeat(20_000), referrer: `https://a.example/${'p'.repeat(20_000)}` }), now, enricher);
    assert.equal(c.userAgent?.length, 1024);
    assert.equal(c.referrer?.length, 2048);
    assert.equal(c.referrerDomain, 'a.example');
  });

  it('takes a referrer domain only from http(s) URLs', () => {
    assert.equal(referrerDomainOf('android-app://com.slack'), null);
    assert.equal(referrerDomainOf('not a url'), null);
    assert.equal(referrerDomainOf('http://t.co/abc'), 't.co');
  });
});
