import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCrmDestination } from '../../src/adapters/destinations/crm/create-crm-destination.ts';
import type { Destination } from '../../src/domain/delivery/destination.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { LINK_EVENT_SAMPLES, SAMPLE_LINK } from '../../src/domain/events/sample-link-events.ts';
import { makeCtx, makeEndpoint } from './destination-fixtures.ts';
import { loopbackHttpClient, startReceiver, type Receiver, type Reply } from './recording-receiver.ts';

// The CRM destination against a real loopback receiver playing a
// HubSpot-style API: the rendered body, method, path and auth header it gets.

const clicked = LINK_EVENT_SAMPLES['link.clicked'] as EventEnvelope;

const TIMELINE_TEMPLATE = {
  eventTemplateId: '1001',
  objectId: '{{data.link.metadata.hubspot_contact_id}}',
  occurredAt: '{{timestamp}}',
  tokens: {
    short_url: '{{data.link.short_url}}',
    headline: 'Clicked {{data.link.short_url}} from {{data.click.country}} ({{data.click.device}})',
    qr: '{{data.click.is_qr}}',
    tags: '{{data.link.tags}}',
    first_tag: '{{data.link.tags.0}}',
    external_id: '{{data.link.external_id}}',
    missing: '{{data.link.metadata.no_such_key}}',
    missing_embedded: 'x{{data.nothing.here}}y',
    proto: '{{data.link.constructor}}',
  },
  extra: [1, true, null, 'literal'],
};

describe('crm destination', () => {
  let receiver: Receiver;
  let reply: Reply = { status: 200, body: { ok: true } };
  const http = loopbackHttpClient();
  let crm: Destination;

  before(async () => {
    receiver = await startReceiver(() => reply);
    crm = createCrmDestination(http);
  });
  after(async () => {
    http.close();
    await receiver.close();
  });

  it('posts the rendered template with the auth header: types kept, paths resolved, unknown paths null', async () => {
    reply = { status: 200, body: { id: 'tl_1' } };
    const endpoint = makeEndpoint('crm', { headers: { authorization: 'Bearer pat-na1-secret' }, template: TIMELINE_TEMPLATE }, `${receiver.url}/crm/v3/timeline/events`);
    assert.deepEqual(crm.validate(endpoint), []);
    const r = await crm.send(makeCtx(clicked, endpoint));
    assert.equal(r.ok, true, r.error ?? '');
    const got = receiver.requests.at(-1);
    assert.ok(got);
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/crm/v3/timeline/events');
    assert.equal(got.headers.authorization, 'Bearer pat-na1-secret');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['idempotency-key'], clicked.id);
    assert.deepEqual(got.json, {
      eventTemplateId: '1001',
      objectId: '9051',
      occurredAt: clicked.timestamp,
      tokens: {
        short_url: 'https://go.acme.example/spring',
        headline: 'Clicked https://go.acme.example/spring from DE (mobile)',
        qr: false,
        tags: ['promo', 'newsletter'],
        first_tag: 'promo',
        external_id: 'crm-4821',
        missing: null,
        missing_embedded: 'xy',
        proto: null,
      },
      extra: [1, true, null, 'literal'],
    });
    assert.equal(r.request?.headers.authorization, '[redacted]', 'the token never reaches the attempt log');
  });

  it('fills URL placeholders (encoded) for PATCH-style contact updates, and refuses an empty one', async () => {
    reply = { status: 200, body: {} };
    const endpoint = makeEndpoint(
      'crm',
      { method: 'patch', template: JSON.stringify({ properties: { last_link_click: '{{data.click.timestamp}}', last_campaign: '{{data.link.campaign}}' } }) },
      `${receiver.url}/crm/v3/objects/contacts/{{data.link.metadata.hubspot_contact_id}}?src={{data.link.slug}}`,
    );
    assert.deepEqual(crm.validate(endpoint), []);
    const odd = { ...clicked, data: { ...clicked.data, link: { ...SAMPLE_LINK, metadata: { hubspot_contact_id: '90/51 x' } } } } as EventEnvelope;
    const r = await crm.send(makeCtx(odd, endpoint));
    assert.equal(r.ok, true, r.error ?? '');
    const got = receiver.requests.at(-1);
    assert.equal(got?.method, 'PATCH');
    assert.equal(got?.url, '/crm/v3/objects/contacts/90%2F51%20x?src=spring');
    assert.deepEqual(got?.json, { properties: { last_link_click: clicked.data.click?.timestamp, last_campaign: 'spring-2026' } });

    const before = receiver.requests.length;
    const none = { ...clicked, data: { ...clicked.data, link: { ...SAMPLE_LINK, metadata: {} } } } as EventEnvelope;
    const refused = await crm.send(makeCtx(none, endpoint));
    assert.equal(refused.ok, false);
    assert.equal(refused.permanent, true);
    assert.match(refused.error ?? '', /hubspot_contact_id/);
    assert.equal(receiver.requests.length, before, 'no request to a truncated URL');
  });

  it('maps the CRM answer: 400 permanent, 401 retried, 503 retried with Retry-After', async () => {
    const endpoint = makeEndpoint('crm', { template: { id: '{{id}}' } }, `${receiver.url}/hook`);
    reply = { status: 400, body: { message: 'objectId is not a contact' } };
    const bad = await crm.send(makeCtx(clicked, endpoint));
    assert.deepEqual([bad.ok, bad.permanent, bad.response?.status], [false, true, 400]);
    reply = { status: 401, body: {} };
    const auth = await crm.send(makeCtx(clicked, endpoint));
    assert.deepEqual([auth.ok, auth.permanent], [false, false]);
    reply = { status: 503, body: {}, headers: { 'retry-after': '7' } };
    const busy = await crm.send(makeCtx(clicked, endpoint));
    assert.deepEqual([busy.ok, busy.permanent, busy.retryAfterMs], [false, undefined, 7000]);
  });

  it('validates the template, URL, method and headers at create time', () => {
    const fields = (settings: Record<string, unknown>, url: string | null = `${receiver.url}/x`): string[] => crm.validate({ url, settings }).map((p) => p.field);
    assert.deepEqual(fields({ template: '{"a": ' }), ['settings.template']);
    assert.deepEqual(fields({}), ['settings.template']);
    assert.deepEqual(fields({ template: 'just text' }), ['settings.template']);
    assert.deepEqual(fields({ template: { a: '{{process.env.SECRET}}' } }), ['settings.template.a']);
    assert.deepEqual(fields({ template: { a: ['{{data.link.id}'] } }), ['settings.template.a[0]']);
    assert.deepEqual(fields({ template: { a: '{{ data.link.id | upper }}' } }), ['settings.template.a']);
    assert.deepEqual(fields({ template: { a: 1 }, method: 'DELETE' }), ['settings.method']);
    assert.deepEqual(fields({ template: { a: 1 }, headers: { 'content-length': '1', 'x-ok': 'a\r\nb' } }), ['settings.headers.content-length', 'settings.headers.x-ok']);
    assert.deepEqual(fields({ template: { a: 1 } }, 'https://{{data.link.domain}}/x'), ['url']);
    assert.deepEqual(fields({ template: { a: 1 } }, null), ['url']);
    assert.deepEqual(fields({ template: { a: 1 }, url: `${receiver.url}/from-settings` }, null), []);
  });
});
