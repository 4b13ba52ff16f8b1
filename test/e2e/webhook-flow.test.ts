import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { startReceiver } from '../helpers/http-receiver.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The whole path a user relies on, through the real server and its
// in-process worker: API change → outbox event → delivery → signed POST.
for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`webhook flow end to end (${storage})`, () => {
    let lh: TestLinkhook;
    let receiver: HttpReceiver;
    let secret: string;
    let endpointId: string;

    before(async () => {
      receiver = await startReceiver();
      lh = await startLinkhook({ storage, env: { LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' } });
      const ep = await lh.api('POST', '/api/v1/endpoints', {
        kind: 'http',
        url: `${receiver.url}/hooks`,
        events: ['link.created', 'link.destination_changed', 'link.clicked', 'qr.scanned'],
        class: 'report',
        owner: 'growth@example.com',
      });
      assert.equal(ep.status, 201, JSON.stringify(ep.body));
      secret = ep.body.secret;
      endpointId = ep.body.id;
    });

    after(async () => {
      await lh?.close();
      await receiver?.close();
    });

    it('delivers link.created, signed so the official verifier accepts it', async () => {
      const created = await lh.api('POST', '/api/v1/links', { url: 'https://example.com/a', slug: 'wh-a', tags: ['launch'], external_id: 'crm-1', metadata: { contact_id: 'c_9' } });
      assert.equal(created.status, 201);
      const req = await waitFor('link.created delivery', () => receiver.requests.find((r) => r.body.includes('"link.created"')));
      const verified = new Webhook(secret).verify(req.body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as any;
      assert.equal(verified.type, 'link.created');
      assert.equal(req.headers['webhook-id'], verified.id);
      assert.equal(verified.data.link.id, created.body.id);
      assert.equal(verified.data.link.external_id, 'crm-1');
      assert.deepEqual(verified.data.link.metadata, { contact_id: 'c_9' });

      const deliveries = await lh.api('GET', `/api/v1/deliveries?endpoint_id=${endpointId}&event_type=link.created`);
      assert.equal(deliveries.status, 200);
      assert.equal(deliveries.body.data[0].status, 'succeeded');
    });

    it('delivers link.destination_changed with the old and new URL', async () => {
      const created = await lh.api('POST', '/api/v1/links', { url: 'https://example.com/old', slug: 'wh-b' });
      await lh.api('PATCH', `/api/v1/links/${created.body.id}`, { url: 'https://example.com/new' });
      const req = await waitFor('destination_changed', () => receiver.requests.find((r) => r.body.includes('"link.destination_changed"') && r.body.includes(created.body.id)));
      const body = JSON.parse(req.body);
      assert.match(JSON.stringify(body.data), /example\.com\/old/);
      assert.match(JSON.stringify(body.data), /example\.com\/new/);
    });

    it('delivers link.clicked for a click and qr.scanned for a scan, with the click fields', async () => {
      const created = await lh.api('POST', '/api/v1/links', { url: 'https://example.com/c', slug: 'wh-c', campaign: 'spring' });
      const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
      await fetch(`${lh.url}/wh-c`, { redirect: 'manual', headers: { 'user-agent': ua, referer: 'https://news.example.org/post' } });
      await fetch(`${lh.url}/wh-c?lh_qr=1`, { redirect: 'manual', headers: { 'user-agent': ua } });
      const click = await waitFor('link.clicked', () => receiver.requests.find((r) => r.body.includes('"link.clicked"') && r.body.includes(created.body.id)));
      const scan = await waitFor('qr.scanned', () => receiver.requests.find((r) => r.body.includes('"qr.scanned"') && r.body.includes(created.body.id)));
      const c = JSON.parse(click.body);
      assert.equal(c.data.link.campaign, 'spring');
      assert.equal(c.data.click.browser, 'Chrome');
      assert.equal(c.data.click.referrer_domain, 'news.example.org');
      assert.equal(c.data.click.is_qr, false);
      assert.equal(JSON.parse(scan.body).data.click.is_qr, true);
    });
  });
}
