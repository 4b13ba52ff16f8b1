import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Endpoint CRUD, validation, the SSRF refusal, secret rotation and "send
// test" against a real receiver on loopback (allowed by LINKHOOK_OUTBOUND_ALLOW),
// whose signature the official standardwebhooks package verifies.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver(status: number, answer: string): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`endpoints API on ${storage}`, () => {
    let t: TestLinkhook;
    let ok: Awaited<ReturnType<typeof startReceiver>>;
    let failing: Awaited<ReturnType<typeof startReceiver>>;
    before(async () => {
      t = await startLinkhook({ storage, env: { LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' } });
      ok = await startReceiver(200, 'thanks');
      failing = await startReceiver(503, 'x'.repeat(5000));
    });
    after(async () => {
      await t.close();
      ok.server.close();
      failing.server.close();
    });

    it('creates an http endpoint: 201 with id and whsec_ secret; GET shows only a prefix', async () => {
      const res = await t.api('POST', '/api/v1/endpoints', {
        kind: 'http',
        url: ok.url,
        name: 'CRM hook',
        events: ['link.created', 'link.updated'],
        filter: { tags: ['promo'] },
        class: 'report',
        owner: 'ana@example.com',
        rate_limit_per_second: 5,
        settings: { headers: { 'x-team': 'growth' } },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^ep_[0-9a-z]{26}$/);
      assert.match(res.body.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
      assert.equal(res.body.secret_prefix, res.body.secret.slice(0, 10));
      assert.equal(res.headers.get('location'), `/api/v1/endpoints/${res.body.id}`);
      assert.deepEqual(res.body.events, ['link.created', 'link.updated']);
      assert.equal(res.body.class, 'report');
      assert.equal(res.body.rate_limit_per_second, 5);
      assert.equal(res.body.enabled, true);

      const got = await t.api('GET', `/api/v1/endpoints/${res.body.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.secret, undefined);
      assert.equal(got.body.secret_prefix, res.body.secret_prefix);
      assert.equal(got.body.name, 'CRM hook');

      const list = await t.api('GET', '/api/v1/endpoints');
      assert.equal(list.status, 200);
      assert.ok(list.body.data.some((e: { id: string; secret?: string }) => e.id === res.body.id && e.secret === undefined));
    });

    it('refuses bad input with 422 and the fields, never 500', async () => {
      const bad = await t.api('POST', '/api/v1/endpoints', { kind: 'carrier-pigeon', url: ok.url, events: ['link.nope'], colour: 'red' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.code, 'validation_failed');
      const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
      for (const f of ['kind', 'colour']) assert.ok(fields.some((x: string) => x.startsWith(f)), `${f} in ${fields}`);
      assert.ok(fields.some((x: string) => x.startsWith('events')), `events in ${fields}`);

      const scheme = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: 'ftp://example.com/x', events: ['link.created'] });
      assert.equal(scheme.status, 422);
      const noBody = await t.api('POST', '/api/v1/endpoints', [1, 2]);
      assert.equal(noBody.status, 422);
      const missing = await t.api('GET', '/api/v1/endpoints/ep_01kjr2rk8myrm27v3bhxbhcmjs');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
    });

    it('defaults the class from the events: report events only make a report endpoint', async () => {
      const digest = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['report.summary', 'link.clicked', 'qr.scanned'] });
      assert.equal(digest.body.class, 'report');
      const mixed = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['report.summary', 'link.created'] });
      assert.equal(mixed.body.class, 'alert');
      const chosen = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['report.summary'], class: 'alert' });
      assert.equal(chosen.body.class, 'alert');
    });

    it('PATCH changes fields, disables and re-enables; DELETE removes', async () => {
      const created = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['link.created'] });
      const id = created.body.id as string;
      const off = await t.api('PATCH', `/api/v1/endpoints/${id}`, { enabled: false, events: ['link.deleted'], name: 'renamed' });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body.enabled, false);
      assert.equal(off.body.disabled_reason, 'manual');
      assert.deepEqual(off.body.events, ['link.deleted']);
      assert.equal(off.body.name, 'renamed');
      const kind = await t.api('PATCH', `/api/v1/endpoints/${id}`, { kind: 'slack' });
      assert.equal(kind.status, 422);
      const on = await t.api('PATCH', `/api/v1/endpoints/${id}`, { enabled: true });
      assert.equal(on.body.enabled, true);
      assert.equal(on.body.disabled_reason, null);
      const del = await t.api('DELETE', `/api/v1/endpoints/${id}`);
      assert.equal(del.status, 204);
      assert.equal((await t.api('GET', `/api/v1/endpoints/${id}`)).status, 404);
    });

    it('rotates the secret: the new one shown once, the old one signs during the overlap', async () => {
      const created = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['link.created'] });
      const rotated = await t.api('POST', `/api/v1/endpoints/${created.body.id}/rotate-secret`);
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      assert.match(rotated.body.secret, /^whsec_/);
      assert.notEqual(rotated.body.secret, created.body.secret);
      assert.ok(Date.parse(rotated.body.previous_secret_expires_at) > Date.now() + 23 * 3600_000);

      ok.received.length = 0;
      const test = await t.api('POST', `/api/v1/endpoints/${created.body.id}/test`);
      assert.equal(test.status, 200);
      const [got] = ok.received;
      assert.ok(got);
      const headers = { 'webhook-id': String(got.headers['webhook-id']), 'webhook-timestamp': String(got.headers['webhook-timestamp']), 'webhook-signature': String(got.headers['webhook-signature']) };
      // Both the new and the old secret verify while they overlap.
      new Webhook(rotated.body.secret).verify(got.body, headers);
      new Webhook(created.body.secret).verify(got.body, headers);
    });

    it('sends a test event and returns the receiver answer, signed as Standard Webhooks', async () => {
      const created = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['link.destination_changed', 'link.created'] });
      ok.received.length = 0;
      const res = await t.api('POST', `/api/v1/endpoints/${created.body.id}/test`, { event_type: 'qr.scanned' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.ok, true);
      assert.equal(res.body.status, 200);
      assert.equal(res.body.body_excerpt, 'thanks');
      assert.ok(res.body.duration_ms >= 0);
      assert.equal(res.body.event.type, 'qr.scanned');
      const [got] = ok.received;
      assert.ok(got);
      const payload = new Webhook(created.body.secret).verify(got.body, {
        'webhook-id': String(got.headers['webhook-id']),
        'webhook-timestamp': String(got.headers['webhook-timestamp']),
        'webhook-signature': String(got.headers['webhook-signature']),
      }) as { id: string; type: string; data: { click: { is_qr: boolean } } };
      assert.equal(payload.id, res.body.event.id);
      assert.equal(got.headers['webhook-id'], res.body.event.id);
      assert.equal(payload.data.click.is_qr, true);

      // Default type: the first the endpoint subscribes to.
      const dflt = await t.api('POST', `/api/v1/endpoints/${created.body.id}/test`);
      assert.equal(dflt.body.event.type, 'link.destination_changed');
      const bad = await t.api('POST', `/api/v1/endpoints/${created.body.id}/test`, { event_type: 'nope' });
      assert.equal(bad.status, 422);
    });

    it('reports a failing receiver as ok: false with status and a capped body excerpt', async () => {
      const created = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: failing.url, events: ['link.created'] });
      const res = await t.api('POST', `/api/v1/endpoints/${created.body.id}/test`);
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, false);
      assert.equal(res.body.status, 503);
      assert.equal(res.body.error_class, 'http_status');
      assert.equal(res.body.body_excerpt.length, 1024);
    });

    it('needs the endpoints scopes', async () => {
      const linksOnly = await t.newKey({ scopes: ['links:read', 'links:write'] });
      const res = await t.api('GET', '/api/v1/endpoints', undefined, linksOnly);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.details.required_scope, 'endpoints:read');
      const reader = await t.newKey({ scopes: ['endpoints:read'] });
      assert.equal((await t.api('GET', '/api/v1/endpoints', undefined, reader)).status, 200);
      assert.equal((await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: ok.url, events: ['link.created'] }, reader)).status, 403);
    });

    it('lists the event catalogue with samples', async () => {
      const res = await t.api('GET', '/api/v1/event-types');
      assert.equal(res.status, 200);
      const types = res.body.data.map((e: { type: string }) => e.type);
      assert.ok(types.includes('link.created') && types.includes('import.completed'));
      const created = res.body.data.find((e: { type: string }) => e.type === 'link.created');
      assert.equal(created.class, 'change');
      assert.equal(created.sample.type, 'link.created');
    });
  });
}

describe('endpoints API without LINKHOOK_OUTBOUND_ALLOW', () => {
  let t: TestLinkhook;
  before(async () => {
    t = await startLinkhook({ storage: 'sqlite' });
  });
  after(async () => {
    await t.close();
  });

  it('refuses private, loopback and metadata addresses at creation (422), never sending to them', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost/hook', 'http://[::1]/hook']) {
      const res = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url, events: ['link.created'] });
      assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
      assert.ok(['validation_failed', 'destination_blocked'].includes(res.body.error.code), res.body.error.code);
    }
  });
});
