import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { clickEventType, clickPayload, endpointSummary, linkPayload } from '../../src/domain/events/event-payloads.ts';
import { diffLinks } from '../../src/domain/events/link-changes.ts';
import { linkUpdateEvents } from '../../src/domain/events/link-events.ts';
import { newEvent } from '../../src/domain/events/new-event.ts';
import { clickPayloadSchema, linkPayloadSchema } from '../../src/domain/events/payload-schemas.ts';
import type { Link } from '../../src/domain/links/link.ts';

// The payload builders: domain objects in, wire shapes out, valid against
// the catalogue's schemas.

const NOW = new Date('2026-03-14T09:00:00.000Z');
const LINK: Link = {
  id: 'lnk_01kjth2hky4bca334zxdr9ebmv',
  workspaceId: 'ws_01kkkwea43gv8nyjanwb2pregh',
  domain: null,
  slug: 'spring',
  url: 'https://acme.example/sale',
  redirectType: 302,
  title: null,
  tags: ['promo', 'mail'],
  campaign: 'spring',
  utm: { source: 'newsletter' },
  priority: 'normal',
  owner: null,
  expiresAt: null,
  expiredUrl: null,
  scheduledChanges: [{ at: '2026-03-01T00:00:00.000Z', url: 'https://acme.example/now' }],
  isTest: false,
  externalId: 'crm-1',
  metadata: { a: '1' },
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const CLICK: Click = {
  id: 'clk_01kkb4m15n10e1byt2ckdgvzsp',
  workspaceId: LINK.workspaceId,
  linkId: LINK.id,
  ts: '2026-03-14T09:26:53.589Z',
  domain: null,
  slug: 'spring',
  method: 'GET',
  referrer: null,
  referrerDomain: null,
  userAgent: 'x',
  browser: 'Chrome',
  browserVersion: '120',
  os: 'Android',
  deviceType: 'mobile',
  isBot: false,
  botReason: null,
  country: 'DE',
  region: null,
  city: null,
  isQr: true,
  isTest: false,
  visitorHash: 'h',
  ip: null,
  utm: {},
};

describe('event payload builders', () => {
  it('linkPayload: the short URL and the destination a visitor gets now', () => {
    const p = linkPayload(LINK, NOW, 'https://lnk.example/', 'https');
    assert.equal(p.short_url, 'https://lnk.example/spring');
    assert.equal(p.destination_url, 'https://acme.example/now?utm_source=newsletter');
    assert.equal(p.external_id, 'crm-1');
    assert.ok(linkPayloadSchema.safeParse(p).success);
    assert.equal(linkPayload({ ...LINK, domain: 'go.brand.example' }, NOW, 'https://lnk.example', 'https').short_url, 'https://go.brand.example/spring');
  });

  it('clickPayload: a QR scan names its QR code and is qr.scanned', () => {
    const c = clickPayload(CLICK);
    assert.equal(c.qr_code_id, `qr_${LINK.id}`);
    assert.equal(c.device, 'mobile');
    assert.ok(clickPayloadSchema.safeParse(c).success);
    assert.equal(clickEventType(CLICK), 'qr.scanned');
    assert.equal(clickPayload({ ...CLICK, isQr: false }).qr_code_id, null);
    const event = newEvent(clickEventType(CLICK), LINK.workspaceId, { link: linkPayload(LINK, NOW, 'https://lnk.example'), click: c }, NOW);
    assert.ok(EVENT_CATALOGUE['qr.scanned'].schema.safeParse(event.data).success);
    assert.match(event.id, /^evt_[0-9a-z]{26}$/);
    assert.equal(event.timestamp, NOW.toISOString());
  });

  it('diffLinks: API field names, before and after, tags as a set, metadata by value', () => {
    assert.deepEqual(diffLinks(LINK, { ...LINK, tags: ['mail', 'promo'], metadata: { a: '1' } }), {});
    assert.deepEqual(diffLinks(LINK, { ...LINK, isTest: true, expiresAt: '2026-04-01T00:00:00.000Z' }), {
      is_test: { before: false, after: true },
      expires_at: { before: null, after: '2026-04-01T00:00:00.000Z' },
    });
  });

  it('a UTM change moves the destination: link.updated plus link.destination_changed', () => {
    const events = linkUpdateEvents(LINK, { ...LINK, utm: { source: 'ads' } }, { now: NOW, baseUrl: 'https://lnk.example', customDomainScheme: 'https', actor: { type: 'cli', id: null, name: 'cli' } });
    assert.deepEqual(events.map((e) => e.type), ['link.updated', 'link.destination_changed']);
    assert.equal(events[1]!.data.old_url, 'https://acme.example/now?utm_source=newsletter');
    assert.equal(events[1]!.data.new_url, 'https://acme.example/now?utm_source=ads');
    for (const e of events) assert.ok(EVENT_CATALOGUE[e.type as 'link.updated'].schema.safeParse(e.data).success, e.type);
  });

  it('endpointSummary shows the URL host only', () => {
    const s = endpointSummary({
      id: 'ep_01kjr2rk8myrm27v3bhxbhcmjs', workspaceId: 'ws_x', kind: 'slack', name: null, url: 'https://hooks.slack.com/services/T0/B0/secret',
      settings: {}, events: [], filter: {}, class: 'alert', owner: null, rateLimitPerSecond: null, enabled: true, disabledReason: null,
      disabledAt: null, failingSince: null, secrets: [], createdAt: '', updatedAt: '',
    });
    assert.equal(s.url_host, 'hooks.slack.com');
  });
});
