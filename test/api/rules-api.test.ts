import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyObservations } from '../../src/domain/rules/alert-lifecycle.ts';
import type { HttpReceiver, ReceivedRequest } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';
import { makeAlert } from '../storage/contract-rules.ts';

// The rules and alerts API on both storages: CRUD, validation (owner and
// action required, durations, endpoints of the workspace and of the rule's
// class), scopes, alert list/ack/snooze, and the fire drill against real
// receivers on loopback (allowed by LINKHOOK_OUTBOUND_ALLOW).

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`rules API (${storage})`, () => {
    let t: TestLinkhook;
    let ok: HttpReceiver;
    let down: HttpReceiver;
    let epOk: string;
    let epDown: string;
    let epReport: string;
    const rule = (over: Record<string, unknown> = {}) => ({
      name: 'Launch spike',
      scope: { tags: ['launch'] },
      trigger: { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 500 },
      endpoint_ids: [epOk],
      owner: { name: 'Growth team', contact: 'growth@example.com' },
      action: 'Check the landing page and ad spend',
      severity: 'warning',
      ...over,
    });

    before(async () => {
      t = await startLinkhook({ storage, env: { LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' } });
      ok = await startReceiver();
      down = await startReceiver(answer(503, 'busy'));
      const ep = async (url: string, cls = 'alert') => (await t.api('POST', '/api/v1/endpoints', { kind: 'http', url, events: ['link.created'], class: cls })).body.id as string;
      epOk = await ep(ok.url);
      epDown = await ep(down.url);
      epReport = await ep(ok.url, 'report');
    });
    after(async () => {
      await t.close();
      await ok.close();
      await down.close();
    });

    it('creates, reads, lists, patches and deletes a rule, with defaults', async () => {
      const created = await t.api('POST', '/api/v1/rules', rule());
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const r = created.body;
      assert.match(r.id, /^rule_/);
      assert.equal(created.headers.get('location'), `/api/v1/rules/${r.id}`);
      assert.deepEqual(r.trigger, { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 500, per: 'link' });
      assert.equal(r.class, 'alert');
      assert.equal(r.cooldown, '1h');
      assert.equal(r.response_time, null);
      assert.equal(r.include_bots, false);
      assert.equal(r.enabled, true);
      assert.deepEqual((await t.api('GET', `/api/v1/rules/${r.id}`)).body, r);
      assert.ok((await t.api('GET', '/api/v1/rules')).body.data.some((x: { id: string }) => x.id === r.id));
      const patched = await t.api('PATCH', `/api/v1/rules/${r.id}`, { cooldown: '15m', response_time: '30m', escalation_endpoint_ids: [epDown], enabled: false });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.cooldown, '15m');
      assert.equal(patched.body.response_time, '30m');
      assert.equal(patched.body.enabled, false);
      assert.equal(patched.body.name, 'Launch spike');
      assert.equal((await t.api('DELETE', `/api/v1/rules/${r.id}`)).status, 204);
      assert.equal((await t.api('GET', `/api/v1/rules/${r.id}`)).status, 404);
    });

    it('fills change-trigger defaults so the short form works', async () => {
      const res = await t.api('POST', '/api/v1/rules', rule({ trigger: { type: 'change', metric: 'clicks', window: '1h', direction: 'both' } }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.trigger, { type: 'change', metric: 'clicks', window: '1h', direction: 'both', factor: 3, min_volume: 40 });
    });

    it('refuses a rule without an owner or an action, saying why', async () => {
      const { owner: _o, action: _a, ...bare } = rule();
      const res = await t.api('POST', '/api/v1/rules', bare);
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation_failed');
      const fields = res.body.error.details.fields as { field: string; message: string }[];
      assert.match(fields.find((f) => f.field === 'owner')?.message ?? '', /required.*who acts/);
      assert.match(fields.find((f) => f.field === 'action')?.message ?? '', /required.*runbook/);
      const blank = await t.api('POST', '/api/v1/rules', rule({ owner: { name: '' }, action: '  ' }));
      assert.equal(blank.status, 422);
      assert.deepEqual(blank.body.error.details.fields.map((f: { field: string }) => f.field).sort(), ['action', 'owner.name']);
    });

    it('refuses bad durations, unknown endpoints, endpoints of the other class, and unknown fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [rule({ cooldown: '15 minutes' }), 'cooldown'],
        [rule({ trigger: { type: 'threshold', window: '5x', value: 1 } }), 'trigger.window'],
        [rule({ trigger: { type: 'nope' } }), 'trigger.type'],
        [rule({ endpoint_ids: [] }), 'endpoint_ids'],
        [rule({ endpoint_ids: ['ep_01kjr2rk8myrm27v3bhxbhcmjs'] }), 'endpoint_ids.0'],
        [rule({ endpoint_ids: [epReport] }), 'endpoint_ids.0'],
        [rule({ escalation_endpoint_ids: [epReport] }), 'escalation_endpoint_ids.0'],
        [rule({ colour: 'red' }), 'colour'],
      ];
      for (const [body, field] of cases) {
        const res = await t.api('POST', '/api/v1/rules', body);
        assert.equal(res.status, 422, `${field}: ${JSON.stringify(res.body)}`);
        assert.ok(res.body.error.details.fields.some((f: { field: string }) => f.field === field), `${field}: ${JSON.stringify(res.body.error.details.fields)}`);
      }
      const mixed = await t.api('POST', '/api/v1/rules', rule({ class: 'report', endpoint_ids: [epReport] }));
      assert.equal(mixed.status, 201, 'a report rule may name report endpoints');
    });

    it('needs the rules and alerts scopes', async () => {
      const reader = await t.newKey({ scopes: ['rules:read'] });
      assert.equal((await t.api('POST', '/api/v1/rules', rule(), reader)).status, 403);
      assert.equal((await t.api('GET', '/api/v1/rules', undefined, reader)).status, 200);
      assert.equal((await t.api('GET', '/api/v1/alerts', undefined, reader)).status, 403);
    });

    it('lists, reads, acknowledges and snoozes alerts', async () => {
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      const created = (await t.api('POST', '/api/v1/rules', rule())).body;
      const a = makeAlert(ws!.id, created.id, { linkId: null });
      await t.lh.storage.alerts.insert(a);
      const list = await t.api('GET', `/api/v1/alerts?status=triggered&rule_id=${created.id}`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.data.map((x: { id: string }) => x.id), [a.id]);
      assert.equal((await t.api('GET', '/api/v1/alerts?colour=red')).status, 422);
      assert.equal((await t.api('GET', `/api/v1/alerts/${a.id}`)).body.summary, a.summary);
      const acked = await t.api('POST', `/api/v1/alerts/${a.id}/ack`);
      assert.equal(acked.status, 200);
      assert.ok(acked.body.acknowledged_at);
      assert.match(acked.body.acknowledged_by, /^api_key:test/);
      const snoozed = await t.api('POST', `/api/v1/alerts/${a.id}/snooze`, { for: '2h' });
      assert.equal(snoozed.status, 200);
      assert.ok(Date.parse(snoozed.body.snoozed_until) > Date.now() + 3600_000);
      const until = new Date(Date.now() + 600_000).toISOString();
      assert.equal((await t.api('POST', `/api/v1/alerts/${a.id}/snooze`, { until })).body.snoozed_until, until);
      assert.equal((await t.api('POST', `/api/v1/alerts/${a.id}/snooze`, { for: 'soon' })).status, 422);
      assert.equal((await t.api('POST', `/api/v1/alerts/${a.id}/snooze`, {})).status, 422);
      assert.equal((await t.api('POST', '/api/v1/alerts/alr_01kjses2s46kkbyhta7ps7hx2e/ack')).status, 404);
      // Switching a rule off resolves its open alerts silently too.
      const other = (await t.api('POST', '/api/v1/rules', rule())).body;
      const b = makeAlert(ws!.id, other.id, { linkId: null });
      await t.lh.storage.alerts.insert(b);
      assert.equal((await t.api('PATCH', `/api/v1/rules/${other.id}`, { enabled: false })).status, 200);
      assert.equal((await t.api('GET', `/api/v1/alerts/${b.id}`)).body.status, 'resolved');
      // Deleting the rule resolves its open alerts (nothing would evaluate them again) and keeps them listed.
      assert.equal((await t.api('DELETE', `/api/v1/rules/${created.id}`)).status, 204);
      const kept = await t.api('GET', `/api/v1/alerts?rule_id=${created.id}`);
      assert.deepEqual(kept.body.data.map((x: { status: string }) => x.status), ['resolved']);
    });

    it("delivers a rule's alert through the running worker to the rule's endpoint, signed", async () => {
      const created = (await t.api('POST', '/api/v1/rules', rule({ name: 'Scope sum' }))).body;
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      const stored = await t.lh.storage.rules.getById(ws!.id, created.id);
      const got = new Promise<ReceivedRequest>((resolve) =>
        ok.handle((req, res) => {
          answer(200, 'ok')(req, res);
          if (JSON.parse(req.body).data?.alert?.rule_id === created.id) resolve(req);
        }),
      );
      const deps = { storage: t.lh.storage, clock: { now: () => new Date() }, baseUrl: t.url, signal: t.lh.deliverySignal };
      const result = await applyObservations(deps, stored!, [{ subject: 'scope', linkId: null, firing: true, value: 7, threshold: 5, summary: '7 clicks in 5m over the whole scope (threshold 5)' }]);
      const req = await got;
      ok.handle(answer(200, 'ok'));
      assert.equal(req.headers['webhook-id'], result.messages[0]!.id);
      assert.match(String(req.headers['webhook-signature']), /^v1,/);
      const body = JSON.parse(req.body);
      assert.equal(body.type, 'alert.triggered');
      assert.equal(body.data.alert.fingerprint, `${created.id}:scope`);
      assert.equal(body.data.link, undefined);
    });

    it('drills: pushes a synthetic alert through each endpoint and reports which accepted it', async () => {
      const created = (await t.api('POST', '/api/v1/rules', rule({ endpoint_ids: [epOk], escalation_endpoint_ids: [epDown] }))).body;
      const before = ok.requests.length;
      const res = await t.api('POST', `/api/v1/rules/${created.id}/drill`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.ok, false);
      const byId = new Map(res.body.endpoints.map((e: { endpoint_id: string }) => [e.endpoint_id, e]));
      assert.deepEqual({ ...(byId.get(epOk) as object), duration_ms: 0 }, { endpoint_id: epOk, kind: 'http', role: 'notify', ok: true, status: 200, error_class: null, error: null, duration_ms: 0 });
      assert.equal((byId.get(epDown) as { ok: boolean; status: number }).ok, false);
      assert.equal((byId.get(epDown) as { ok: boolean; status: number }).status, 503);
      const received = JSON.parse(ok.requests[before]!.body);
      assert.equal(received.type, 'alert.triggered');
      assert.equal(received.data.alert.is_drill, true);
      assert.match(received.data.alert.summary, /^\[DRILL\]/);
      assert.equal(received.data.alert.rule_id, created.id);
      const drills = await t.api('GET', `/api/v1/alerts?rule_id=${created.id}`);
      assert.equal(drills.body.data[0].is_drill, true);
      assert.equal(drills.body.data[0].status, 'resolved');
      assert.equal((await t.api('POST', '/api/v1/rules/rule_01kjses2s46kkbyhta7ps7hx2e/drill')).status, 404);
    });
  });
}
