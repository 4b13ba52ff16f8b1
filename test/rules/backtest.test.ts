import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/domain/shared/errors.ts';
import { backtestRule, parseBacktestPeriod } from '../../src/domain/rules/backtest.ts';
import { HOUR, MIN, makeRule, useBench } from './evaluator-fixtures.ts';

void describe('backtest', () => {
  const open = useBench('sqlite');

  void it('replays the stored clicks window by window and says when, and for which link, the rule would have fired', async () => {
    const b = await open();
    const a = await b.link({ slug: 'a' });
    const c = await b.link({ slug: 'c' });
    const t0 = Date.parse('2025-05-01T00:00:00.000Z');
    await b.clicks(a, t0 + 12 * MIN, 30, 2 * MIN); // window [10m, 15m): 30
    await b.clicks(c, t0 + 41 * MIN, 8, MIN); // below
    await b.clicks(c, t0 + 50 * MIN, 25, MIN, { isTest: true }); // never counts
    await b.clicks(c, t0 + 55 * MIN, 12, MIN);
    const rule = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 10 }, { scope: { link_ids: [a.id, c.id] } });
    const r = await backtestRule(b.storage, rule, { from: new Date(t0), to: new Date(t0 + HOUR) });
    assert.equal(r.steps, 12);
    assert.deepEqual(r.firings.map((f) => [f.at, f.link_id, f.value, f.threshold]), [
      [new Date(t0 + 15 * MIN).toISOString(), a.id, 30, 10],
      [new Date(t0 + HOUR).toISOString(), c.id, 12, 10],
    ]);
    assert.equal(r.firings[0]?.summary, '30 clicks on /a in the last 5m, at or above 10');
    assert.equal(r.truncated, false);
    // Read-only: nothing but clicks was written.
    assert.equal((await b.storage.alerts.list(b.ws.id, {}, { limit: 10 })).items.length, 0);
  });

  void it('replays a change rule against baselines from before the period', async () => {
    const b = await open();
    const t0 = Date.parse('2025-05-08T00:00:00.000Z');
    const l = await b.link({ slug: 'launch', createdAt: new Date(t0 - 7 * 24 * HOUR).toISOString() }); // a week old: same time on past days
    for (let d = 1; d <= 7; d++) await b.clicks(l, t0 - d * 24 * HOUR, 24 * 30, 24 * HOUR); // 30 an hour, every hour
    await b.clicks(l, t0, 30 * 6, 6 * HOUR);
    await b.clicks(l, t0 + 3 * HOUR, 270, HOUR); // the launch: 300 in hour 3
    const rule = makeRule(b.ws.id, { type: 'change', metric: 'clicks', window: '1h', direction: 'both' });
    const r = await backtestRule(b.storage, rule, { from: new Date(t0), to: new Date(t0 + 6 * HOUR) });
    assert.deepEqual(r.firings.map((f) => [f.at, f.value]), [[new Date(t0 + 4 * HOUR).toISOString(), 300]]);
  });

  void it('refuses triggers that do not read the click log, periods too long, and bad periods', async () => {
    const b = await open();
    const health = makeRule(b.ws.id, { type: 'health' });
    await assert.rejects(backtestRule(b.storage, health, { from: new Date(0), to: new Date(HOUR) }), (e: unknown) => e instanceof AppError && e.code === 'validation_failed');
    const fine = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '1m', op: '>=', value: 1 });
    await assert.rejects(backtestRule(b.storage, fine, { from: new Date(0), to: new Date(30 * 24 * HOUR) }), /at most 10000/);
    assert.throws(() => parseBacktestPeriod({ from: '2025-05-02T00:00:00Z', to: '2025-05-01T00:00:00Z' }), /to: must be after from/);
    assert.throws(() => parseBacktestPeriod({ from: 'yesterday', to: '2025-05-01T00:00:00Z' }), AppError);
    assert.throws(() => parseBacktestPeriod({ from: '2025-05-01T00:00:00Z', to: '2025-05-02T00:00:00Z', extra: 1 }), AppError);
  });
});
