import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The delivery log and replays through the API. Whether an in-process worker
// is already sending is not this suite's business: assertions hold for any
// delivery status, so they stay true once the worker is wired in.

// A TEST-NET-3 address (RFC 5737) allowed by the operator setting: accepted at
// creation, never answered, so nothing here depends on a receiver.
const ENV = { LINKHOOK_OUTBOUND_ALLOW: '203.0.113.0/24' };
const URL_A = 'http://203.0.113.10/hook-a';
const URL_B = 'http://203.0.113.11/hook-b';

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`deliveries API on ${storage}`, () => {
    let t: TestLinkhook;
    let epA: string;
    let epB: string;
    let linkId: string;
    const started = new Date(Date.now() - 1000).toISOString();
    before(async () => {
      t = await startLinkhook({ storage, env: ENV });
      epA = (await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: URL_A, events: ['link.created', 'link.updated'] })).body.id;
      epB = (await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: URL_B, events: ['link.created'], filter: { tags: ['promo'] } })).body.id;
      linkId = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/a', tags: ['promo'] })).body.id;
      await t.api('PATCH', `/api/v1/links/${linkId}`, { title: 'x' });
      await t.api('POST', '/api/v1/links', { url: 'https://example.com/b' }); // no promo tag: A only
    });
    after(async () => {
      await t.close();
    });

    it('writes one delivery per (event, subscribed endpoint), honouring filters', async () => {
      const a = await t.api('GET', `/api/v1/deliveries?endpoint_id=${epA}`);
      const b = await t.api('GET', `/api/v1/deliveries?endpoint_id=${epB}`);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.data.length, 3); // two creates, one update
      assert.equal(b.body.data.length, 1); // only the promo link's create
      const d = b.body.data[0];
      assert.match(d.id, /^dlv_/);
      assert.equal(d.endpoint_id, epB);
      assert.equal(d.event_type, 'link.created');
      assert.match(d.event_id, /^evt_/);
      const event = await t.api('GET', `/api/v1/events/${d.event_id}`);
      assert.equal(event.status, 200);
      assert.equal(event.body.data.link.id, linkId);
    });

    it('filters by event type, status and time range, and pages', async () => {
      const updated = await t.api('GET', '/api/v1/deliveries?event_type=link.updated');
      assert.deepEqual(updated.body.data.map((d: { event_type: string }) => d.event_type), ['link.updated']);
      const all = await t.api('GET', '/api/v1/deliveries');
      const status = all.body.data[0].status as string;
      const byStatus = await t.api('GET', `/api/v1/deliveries?status=${status}`);
      assert.ok(byStatus.body.data.every((d: { status: string }) => d.status === status));
      const future = new Date(Date.now() + 3600_000).toISOString();
      assert.equal((await t.api('GET', `/api/v1/deliveries?since=${future}`)).body.data.length, 0);
      assert.equal((await t.api('GET', `/api/v1/deliveries?since=${started}&until=${future}`)).body.data.length, 4);
      const p1 = await t.api('GET', '/api/v1/deliveries?limit=3');
      assert.equal(p1.body.data.length, 3);
      const p2 = await t.api('GET', `/api/v1/deliveries?limit=3&cursor=${p1.body.next_cursor}`);
      assert.equal(p2.body.data.length, 1);
      assert.equal(p2.body.next_cursor, null);
    });

    it('refuses bad filters with 422', async () => {
      for (const q of ['status=lost', 'event_type=link.nope', 'since=yesterday', 'limit=1000', 'endpoint=ep_x', 'endpoint_id=lnk_123']) {
        const res = await t.api('GET', `/api/v1/deliveries?${q}`);
        assert.equal(res.status, 422, q);
        assert.equal(res.body.error.code, 'validation_failed');
      }
    });

    it('shows one delivery with its attempt log', async () => {
      const [first] = (await t.api('GET', `/api/v1/deliveries?endpoint_id=${epB}`)).body.data;
      const res = await t.api('GET', `/api/v1/deliveries/${first.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.id, first.id);
      assert.ok(Array.isArray(res.body.attempt_log));
      assert.equal((await t.api('GET', '/api/v1/deliveries/dlv_01kjr2rk8myrm27v3bhxbhcmjs')).status, 404);
    });

    it('replays a delivery, an event, and the failed deliveries of an endpoint', async () => {
      const [d] = (await t.api('GET', `/api/v1/deliveries?endpoint_id=${epB}`)).body.data;
      const one = await t.api('POST', `/api/v1/deliveries/${d.id}/replay`);
      assert.equal(one.status, 202, JSON.stringify(one.body));
      assert.equal(typeof one.body.requeued, 'number');
      const ev = await t.api('POST', `/api/v1/events/${d.event_id}/replay`);
      assert.equal(ev.status, 202);
      assert.equal(typeof ev.body.requeued, 'number');
      // Replaying never creates a second delivery for the same (event, endpoint).
      assert.equal((await t.api('GET', `/api/v1/deliveries?event_id=${d.event_id}`)).body.data.length, 2);

      const since = await t.api('POST', `/api/v1/endpoints/${epA}/replay`, { since: started });
      assert.equal(since.status, 202);
      assert.equal(typeof since.body.requeued, 'number');
      assert.equal((await t.api('POST', `/api/v1/endpoints/${epA}/replay`, {})).status, 422);
      assert.equal((await t.api('POST', `/api/v1/endpoints/${epA}/replay`, { since: 'x' })).status, 422);
      assert.equal((await t.api('POST', '/api/v1/events/evt_01kjr2rk8myrm27v3bhxbhcmjs/replay')).status, 404);
      assert.equal((await t.api('POST', '/api/v1/deliveries/dlv_01kjr2rk8myrm27v3bhxbhcmjs/replay')).status, 404);
    });

    it('needs the deliveries scopes', async () => {
      const reader = await t.newKey({ scopes: ['deliveries:read'] });
      assert.equal((await t.api('GET', '/api/v1/deliveries', undefined, reader)).status, 200);
      const res = await t.api('POST', `/api/v1/endpoints/${epA}/replay`, { since: started }, reader);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.details.required_scope, 'deliveries:write');
    });
  });
}
