import type { z } from 'zod';
import type { ActorPayload, ClickPayload, EventEnvelope, LinkPayload } from './envelope.ts';
import type { EVENT_DATA_SCHEMAS } from './event-data-schemas.ts';

// Realistic sample envelopes for the link-change and click events: what
// GET /api/v1/event-types shows, what POST /endpoints/{id}/test sends, and
// what docs/events.md prints. test/events-doc.test.ts validates each one
// against its schema, so a sample can never lie about the wire format.

type Schemas = typeof EVENT_DATA_SCHEMAS;
export type SampleOf<T extends keyof Schemas> = EventEnvelope<z.output<Schemas[T]>> & { type: T };

export const SAMPLE_WORKSPACE_ID = 'ws_01kkkwea43gv8nyjanwb2pregh';

export const SAMPLE_LINK: LinkPayload = {
  id: 'lnk_01kjth2hky4bca334zxdr9ebmv',
  short_url: 'https://go.acme.example/spring',
  destination_url: 'https://acme.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026',
  domain: 'go.acme.example',
  slug: 'spring',
  title: 'Spring sale landing page',
  campaign: 'spring-2026',
  utm: { source: 'newsletter', medium: 'email', campaign: 'spring-2026' },
  tags: ['promo', 'newsletter'],
  owner: 'ana@acme.example',
  priority: 'high',
  is_test: false,
  external_id: 'crm-4821',
  metadata: { hubspot_contact_id: '9051', region: 'emea' },
};

export const SAMPLE_ACTOR: ActorPayload = { type: 'api_key', id: 'key_01kkcdfat1zj2vnx5ysdffmx68', name: 'marketing-automation' };

export const SAMPLE_CLICK: ClickPayload = {
  id: 'clk_01kkb4m15n10e1byt2ckdgvzsp',
  timestamp: '2026-03-14T09:26:53.589Z',
  referrer: 'https://mail.google.com/',
  referrer_domain: 'mail.google.com',
  device: 'mobile',
  browser: 'Mobile Safari',
  os: 'iOS',
  country: 'DE',
  region: 'Berlin',
  city: 'Berlin',
  is_qr: false,
  qr_code_id: null,
  is_bot: false,
  is_test: false,
};

/** Builds a sample envelope in the sample workspace. */
export const envelope = <T extends keyof Schemas>(type: T, id: string, timestamp: string, data: z.output<Schemas[T]>): SampleOf<T> =>
  ({ id, type, timestamp, workspace_id: SAMPLE_WORKSPACE_ID, data });

export const LINK_EVENT_SAMPLES = {
  'link.created': envelope('link.created', 'evt_01kk69tbcws0xxpt4k4j85dh2p', '2026-03-02T10:15:00.000Z', {
    link: SAMPLE_LINK,
    actor: SAMPLE_ACTOR,
  }),
  'link.updated': envelope('link.updated', 'evt_01kkmyberpbjv5hc1gkp920624', '2026-03-10T16:42:07.120Z', {
    link: { ...SAMPLE_LINK, tags: ['promo', 'newsletter', 'q2'], owner: 'ben@acme.example' },
    changes: {
      tags: { before: ['promo', 'newsletter'], after: ['promo', 'newsletter', 'q2'] },
      owner: { before: 'ana@acme.example', after: 'ben@acme.example' },
    },
    actor: SAMPLE_ACTOR,
  }),
  'link.deleted': envelope('link.deleted', 'evt_01kjsxfp4qg1t1kj402yd0pgcm', '2026-03-20T08:00:12.004Z', {
    link: SAMPLE_LINK,
    actor: { type: 'cli', id: null, name: 'cli' },
  }),
  'link.destination_changed': envelope('link.destination_changed', 'evt_01kjw2rctagyrx5wwk9yrya9pv', '2026-03-11T07:30:00.000Z', {
    link: { ...SAMPLE_LINK, destination_url: 'https://acme.example/spring-final?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026' },
    old_url: 'https://acme.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026',
    new_url: 'https://acme.example/spring-final?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026',
    actor: SAMPLE_ACTOR,
    changed_at: '2026-03-11T07:30:00.000Z',
  }),
  'link.clicked': envelope('link.clicked', 'evt_01kkmp2rp8jednqpk6ansf0xm2', '2026-03-14T09:26:53.589Z', {
    link: SAMPLE_LINK,
    click: SAMPLE_CLICK,
  }),
  'qr.scanned': envelope('qr.scanned', 'evt_01kjyhz7n28qhne09d15xg3cnb', '2026-03-14T12:03:41.250Z', {
    link: SAMPLE_LINK,
    click: {
      ...SAMPLE_CLICK,
      id: 'clk_01kkk0etngbqkfed85yj1bjk1j',
      timestamp: '2026-03-14T12:03:41.250Z',
      referrer: null,
      referrer_domain: null,
      browser: 'Chrome Mobile',
      os: 'Android',
      country: 'FR',
      region: 'Île-de-France',
      city: 'Paris',
      is_qr: true,
      qr_code_id: `qr_${SAMPLE_LINK.id}`,
    },
  }),
  'link.scheduled_change_applied': envelope('link.scheduled_change_applied', 'evt_01kjr62j1fj9evtrcn2yzmznc0', '2026-04-01T00:00:00.000Z', {
    link: { ...SAMPLE_LINK, destination_url: 'https://acme.example/summer?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026' },
    scheduled_at: '2026-04-01T00:00:00.000Z',
    action: 'change_url',
    old_url: 'https://acme.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026',
    new_url: 'https://acme.example/summer?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026',
  }),
} as const;
