import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import type { StorageKind } from '../helpers/test-storage.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// /api/v1/reports end to end on both storage adapters: create with cron and
// timezone, read, edit (a new cron recomputes next_run_at), delete; bad
// input is a 422 naming the field.

for (const kind of ['sqlite', 'postgres'] as StorageKind[]) {
  describe(`reports API (${kind})`, () => {
    let t: TestLinkhook;
    let endpointId: string;
    const clock = new ManualClock('2026-06-01T12:00:00Z');
    before(async () => {
      t = await startLinkhook({ storage: kind, clock, env: { LINKHOOK_BASE_URL: 'https://lnk.example', LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' } });
      const ep = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: 'http://127.0.0.1:9/reports', events: ['report.summary'] });
      assert.equal(ep.status, 201, JSON.stringify(ep.body));
      endpointId = ep.body.id;
    });
    after(() => t.close());

    it('creates, lists, edits and deletes a schedule', async () => {
      const created = await t.api('POST', '/api/v1/reports', {
        name: 'Twice daily',
        cron: '0 8,18 * * *',
        timezone: 'America/New_York',
        scope: { campaign: 'spring', tags: ['promo'] },
        endpoint_ids: [endpointId],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const r = created.body;
      assert.match(r.id, /^rpt_/);
      assert.equal(r.next_run_at, '2026-06-01T12:00:00.000Z'.replace('12:00', '22:00')); // 18:00 EDT
      assert.deepEqual(r.scope, { campaign: 'spring', tags: ['promo'] });
      assert.equal(r.enabled, true);
      assert.equal(created.headers.get('location'), `/api/v1/reports/${r.id}`);

      const list = await t.api('GET', '/api/v1/reports');
      assert.deepEqual(list.body.data.map((x: { id: string }) => x.id), [r.id]);

      const patched = await t.api('PATCH', `/api/v1/reports/${r.id}`, { cron: '30 6 * * *', timezone: 'UTC' });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.next_run_at, '2026-06-02T06:30:00.000Z');

      assert.equal((await t.api('DELETE', `/api/v1/reports/${r.id}`)).status, 204);
      assert.equal((await t.api('GET', `/api/v1/reports/${r.id}`)).status, 404);
    });

    it('answers 422 with the faulty fields', async () => {
      const bad = await t.api('POST', '/api/v1/reports', { name: '', cron: '61 * * * *', timezone: 'Nowhere/City', endpoint_ids: [] });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.code, 'validation_failed');
      const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field).sort();
      assert.deepEqual(fields, ['endpoint_ids', 'name', 'timezone']);
      const cron = await t.api('POST', '/api/v1/reports', { name: 'x', cron: '61 * * * *', endpoint_ids: [endpointId] });
      assert.equal(cron.status, 422);
      assert.equal(cron.body.error.details.fields[0].field, 'cron');
      const unknown = await t.api('POST', '/api/v1/reports', { name: 'x', cron: '0 7 * * *', endpoint_ids: [endpointId], every: 'day' });
      assert.equal(unknown.body.error.details.fields[0].field, 'every');
    });

    it('sends reports to report endpoints only: an alert endpoint is refused until its class changes', async () => {
      const pager = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: 'http://127.0.0.1:9/pager', events: ['alert.triggered', 'report.summary'] });
      assert.equal(pager.body.class, 'alert');
      const body = { name: 'Daily', cron: '0 7 * * *', endpoint_ids: [endpointId, pager.body.id] };
      const refused = await t.api('POST', '/api/v1/reports', body);
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.code, 'validation_failed');
      assert.equal(refused.body.error.details.fields.length, 1);
      assert.equal(refused.body.error.details.fields[0].field, 'endpoint_ids.1');
      assert.match(refused.body.error.details.fields[0].message, /alert endpoint/);
      const created = await t.api('POST', '/api/v1/reports', { ...body, endpoint_ids: [endpointId] });
      assert.equal(created.status, 201);
      const patch = await t.api('PATCH', `/api/v1/reports/${created.body.id}`, { endpoint_ids: [pager.body.id] });
      assert.equal(patch.status, 422);
      // Mixing is explicit: the endpoint becomes a report endpoint.
      assert.equal((await t.api('PATCH', `/api/v1/endpoints/${pager.body.id}`, { class: 'report' })).status, 200);
      assert.equal((await t.api('POST', '/api/v1/reports', body)).status, 201);
    });
  });
}
