import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Alert, Rule } from '../../src/domain/rules/rule.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, nextTime } from './fixtures.ts';

// Alert rules (with the evaluation lease) and alerts.

const T = '2026-03-01T00:00:00.000Z';
const at = (ms: number): string => new Date(Date.parse(T) + ms).toISOString();

export function makeRule(workspaceId: string, over: Partial<Rule> = {}): Rule {
  const now = nextTime();
  return {
    id: newId('rule'), workspaceId, name: 'Spike on promo ü', scope: { tags: ['promo'], priority: ['high'], domain: null },
    trigger: { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 500, per: 'link' },
    endpointIds: ['ep_a'], escalationEndpointIds: ['ep_b'], owner: { name: 'Growth', contact: 'growth@example.com' },
    action: 'Check the landing page', severity: 'critical', class: 'alert', cooldownMs: 900_000, responseTimeMs: 1_800_000,
    includeBots: true, enabled: true, createdAt: now, updatedAt: now, ...over,
  };
}

export function makeAlert(workspaceId: string, ruleId: string, over: Partial<Alert> = {}): Alert {
  const now = nextTime();
  return {
    id: newId('alert'), workspaceId, ruleId, fingerprint: `${ruleId}:lnk_x`, subject: 'lnk_x', linkId: 'lnk_x', status: 'triggered',
    severity: 'warning', summary: '600 clicks in 5m', metric: 'clicks', value: 600.5, threshold: 500, window: '5m', details: { baseline: 12 },
    isDrill: false, triggeredAt: now, updatedAt: now, resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null, snoozedUntil: null,
    escalatedAt: null, lastNotifiedAt: now, clearStreak: 1, ...over,
  };
}

export function ruleContract(get: CurrentStorage): void {
  void it('round-trips, lists, updates and deletes rules', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const r1 = makeRule(ws.id);
    const r2 = makeRule(ws.id, { responseTimeMs: null, escalationEndpointIds: [], owner: { name: 'Ops', contact: null }, trigger: { type: 'health' } });
    await s.rules.insert(r1);
    await s.rules.insert(r2);
    assert.deepEqual(await s.rules.getById(ws.id, r1.id), r1);
    assert.deepEqual(await s.rules.getById(ws.id, r2.id), r2);
    assert.equal(await s.rules.getById('ws_other', r1.id), undefined);
    const page = await s.rules.list(ws.id, { limit: 1 });
    assert.deepEqual(page.items, [r2]);
    assert.deepEqual((await s.rules.list(ws.id, { limit: 1, cursor: page.nextCursor as string })).items, [r1]);
    const changed = { ...r1, name: 'Renamed', enabled: false, cooldownMs: 60_000 };
    await s.rules.update(changed);
    assert.deepEqual(await s.rules.getById(ws.id, r1.id), changed);
    assert.equal(await s.rules.delete(ws.id, r1.id), true);
    assert.equal(await s.rules.delete(ws.id, r1.id), false);
  });

  void it('claims due enabled rules of the given types once, until the lease runs out', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const created = at(0);
    const due = makeRule(ws.id, { createdAt: created, updatedAt: created });
    const off = makeRule(ws.id, { enabled: false, createdAt: created, updatedAt: created });
    const other = makeRule(ws.id, { trigger: { type: 'health' }, createdAt: created, updatedAt: created });
    for (const r of [due, off, other]) await s.rules.insert(r);
    const claim = (now: string) => s.rules.claimDue({ now, leaseUntil: at(Date.parse(now) - Date.parse(T) + 300_000), types: ['threshold'], limit: 10 });
    assert.deepEqual((await claim(at(1000))).map((r) => r.id), [due.id]);
    assert.deepEqual(await claim(at(2000)), [], 'leased: not claimed again');
    assert.deepEqual((await claim(at(301_000))).map((r) => r.id), [due.id], 'lease ran out: due again');
    await s.rules.scheduleNext(due.id, at(900_000));
    assert.deepEqual(await claim(at(899_999)), []);
    assert.deepEqual((await claim(at(900_000))).map((r) => r.id), [due.id]);
    assert.deepEqual(await s.rules.claimDue({ now: at(10_000_000), leaseUntil: at(10_000_001), types: [], limit: 10 }), []);
  });

  void it('concurrent claims never hand one rule to two workers', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    for (let i = 0; i < 12; i++) await s.rules.insert(makeRule(ws.id, { createdAt: at(0), updatedAt: at(0) }));
    const claims = await Promise.all(Array.from({ length: 4 }, () => s.rules.claimDue({ now: at(1000), leaseUntil: at(60_000), types: ['threshold'], limit: 5 })));
    const ids = claims.flat().map((r) => r.id);
    assert.equal(ids.length, 12);
    assert.equal(new Set(ids).size, 12);
  });

  void it('round-trips alerts, filters them, lists the open ones and the last notification per fingerprint', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const ruleId = newId('rule');
    const old = makeAlert(ws.id, ruleId, { status: 'resolved', resolvedAt: at(5000), lastNotifiedAt: at(5000), fingerprint: `${ruleId}:lnk_y`, subject: 'lnk_y', linkId: 'lnk_y' });
    const open = makeAlert(ws.id, ruleId, { lastNotifiedAt: at(1000), acknowledgedAt: at(2000), acknowledgedBy: 'api_key:ci', snoozedUntil: at(3000), escalatedAt: at(4000) });
    const drill = makeAlert(ws.id, ruleId, { isDrill: true, subject: 'drill', fingerprint: `${ruleId}:drill`, linkId: null, value: null, threshold: null, metric: null, window: null, details: {}, lastNotifiedAt: null });
    for (const a of [old, open, drill]) await s.alerts.insert(a);
    assert.deepEqual(await s.alerts.getById(ws.id, open.id), open);
    assert.deepEqual(await s.alerts.getById(ws.id, drill.id), drill);
    assert.equal(await s.alerts.getById('ws_other', open.id), undefined);
    assert.deepEqual((await s.alerts.listOpen(ruleId)).map((a) => a.id), [open.id], 'drills and resolved alerts are not open');
    assert.deepEqual((await s.alerts.list(ws.id, { status: 'resolved' }, { limit: 10 })).items, [old]);
    assert.deepEqual((await s.alerts.list(ws.id, { linkId: 'lnk_x', ruleId }, { limit: 10 })).items.map((a) => a.id), [drill.id, open.id].filter((id) => id === open.id));
    const page = await s.alerts.list(ws.id, {}, { limit: 2 });
    assert.equal(page.items.length, 2);
    assert.equal((await s.alerts.list(ws.id, {}, { limit: 2, cursor: page.nextCursor as string })).items.length, 1);
    const last = await s.alerts.lastNotified([open.fingerprint, old.fingerprint, drill.fingerprint, 'none']);
    assert.deepEqual(Object.fromEntries(last), { [open.fingerprint]: at(1000), [old.fingerprint]: at(5000) });
    const resolved = { ...open, status: 'resolved' as const, resolvedAt: at(9000), clearStreak: 2, value: 10, summary: 'back to 10' };
    await s.alerts.update(resolved);
    assert.deepEqual(await s.alerts.getById(ws.id, open.id), resolved);
    assert.deepEqual(await s.alerts.listOpen(ruleId), []);
  });

  void it('refuses a second open alert for one fingerprint', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const ruleId = newId('rule');
    await s.alerts.insert(makeAlert(ws.id, ruleId));
    await assert.rejects(() => s.alerts.insert(makeAlert(ws.id, ruleId)));
    await s.alerts.insert(makeAlert(ws.id, ruleId, { status: 'resolved', resolvedAt: at(1) }));
  });

  void it('records the last committed evaluation of a rule (Rule.evaluatedUntil) apart from its editable fields', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const r = makeRule(ws.id);
    await s.rules.insert(r);
    assert.equal((await s.rules.getById(ws.id, r.id))?.evaluatedUntil, undefined);
    await s.rules.markEvaluated(r.id, at(60_000));
    assert.equal((await s.rules.getById(ws.id, r.id))?.evaluatedUntil, at(60_000));
    await s.rules.update({ ...r, name: 'Renamed' });
    const after = await s.rules.getById(ws.id, r.id);
    assert.deepEqual([after?.name, after?.evaluatedUntil], ['Renamed', at(60_000)], 'an edit leaves the cursor alone');
    await s.rules.scheduleNext(r.id, T);
    const [claimed] = await s.rules.claimDue({ now: at(1), leaseUntil: at(300_000), types: ['threshold'], limit: 10 });
    assert.equal(claimed?.evaluatedUntil, at(60_000), 'a claimed rule carries it to its evaluator');
  });

  void it('reads alerts by id and keeps storm state per rule and kind (upsert)', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const ruleId = newId('rule');
    const a = makeAlert(ws.id, ruleId);
    const b = makeAlert(ws.id, ruleId, { fingerprint: `${ruleId}:lnk_y`, subject: 'lnk_y', linkId: 'lnk_y' });
    await s.alerts.insert(a);
    await s.alerts.insert(b);
    assert.deepEqual((await s.alerts.getMany(ws.id, [b.id, a.id, 'alert_missing'])).sort((x, y) => x.id.localeCompare(y.id)), [a, b]);
    assert.deepEqual(await s.alerts.getMany('ws_other', [a.id]), []);
    assert.equal(await s.alerts.getStorm(ruleId, 'triggered'), undefined);
    const storm = { ruleId, workspaceId: ws.id, kind: 'triggered' as const, windowStart: T, windowEnd: at(900_000), notified: 12, groupedAt: at(60_000), pending: [a.id, b.id] };
    await s.alerts.saveStorm(storm);
    assert.deepEqual(await s.alerts.getStorm(ruleId, 'triggered'), storm);
    assert.equal(await s.alerts.getStorm(ruleId, 'resolved'), undefined);
    const next = { ...storm, windowStart: at(900_000), windowEnd: at(1_800_000), notified: 2, groupedAt: null, pending: [] };
    await s.alerts.saveStorm(next);
    assert.deepEqual(await s.alerts.getStorm(ruleId, 'triggered'), next);
  });
}
