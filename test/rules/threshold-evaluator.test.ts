import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createThresholdEvaluator } from '../../src/domain/rules/evaluators/threshold-evaluator.ts';
import { KINDS, MIN, makeRule, useBench } from './evaluator-fixtures.ts';

for (const kind of KINDS) {
  void describe(`threshold evaluator (${kind})`, () => {
    const open = useBench(kind);
    const evaluator = createThresholdEvaluator();

    void it('fires per link at or above the value in the sliding window, and clears as the window slides on', async () => {
      const b = await open();
      const hot = await b.link({ slug: 'hot' });
      const calm = await b.link({ slug: 'calm' });
      const now = b.clock.now().getTime();
      await b.clicks(hot, now - 4 * MIN, 10, 2 * MIN);
      await b.clicks(calm, now - 4 * MIN, 9, 2 * MIN);
      await b.clicks(calm, now - 3 * MIN, 5, 0, { isTest: true }); // test traffic never counts
      const rule = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 10 });
      const obs = await b.run(evaluator, rule, [hot, calm]);
      assert.deepEqual(obs.map((o) => [o.subject, o.firing, o.value, o.threshold]), [[hot.id, true, 10, 10], [calm.id, false, 9, 10]]);
      assert.equal(obs[0]?.summary, '10 clicks on /hot in the last 5m, at or above 10');
      b.clock.advance(2 * MIN); // the first 5 clicks (now-4m .. now-3m) slide out
      const later = await b.run(evaluator, rule, [hot]);
      assert.deepEqual(later.map((o) => [o.firing, o.value]), [[false, 5]]);
    });

    void it('sums over the scope when per is scope', async () => {
      const b = await open();
      const a = await b.link();
      const c = await b.link();
      const now = b.clock.now().getTime();
      await b.clicks(a, now - MIN, 6);
      await b.clicks(c, now - MIN, 6, 0, { isQr: true });
      const rule = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 12, per: 'scope' });
      const [o] = await b.run(evaluator, rule, [a, c]);
      assert.deepEqual([o?.subject, o?.linkId, o?.firing, o?.value], ['scope', null, true, 12]);
      const scans = makeRule(b.ws.id, { type: 'threshold', metric: 'scans', window: '5m', op: '>=', value: 12, per: 'scope' });
      assert.deepEqual((await b.run(evaluator, scans, [a, c])).map((x) => [x.firing, x.value]), [[false, 6]]);
    });

    void it('<= fires on a quiet link, but not on a link younger than the window, nor on an empty scope', async () => {
      const b = await open();
      const now = b.clock.now().getTime();
      const old = await b.link({ slug: 'old' });
      const fresh = await b.link({ slug: 'fresh', createdAt: new Date(now - 10 * MIN).toISOString() });
      const rule = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '1h', op: '<=', value: 0 });
      const obs = await b.run(evaluator, rule, [old, fresh]);
      assert.deepEqual(obs.map((o) => [o.subject, o.firing]), [[old.id, true], [fresh.id, false]]);
      assert.equal(obs[1]?.details?.reason, 'too_new');
      assert.match(obs[1]?.summary ?? '', /not judged yet/);

      const scope = makeRule(b.ws.id, { type: 'threshold', metric: 'clicks', window: '1h', op: '<=', value: 0, per: 'scope' });
      const [empty] = await b.run(evaluator, scope, []);
      assert.deepEqual([empty?.firing, empty?.details?.reason], [false, 'empty_scope']);
      const [onlyFresh] = await b.run(evaluator, scope, [fresh]);
      assert.deepEqual([onlyFresh?.firing, onlyFresh?.details?.reason], [false, 'too_new']);
      assert.equal((await b.run(evaluator, scope, [old, fresh]))[0]?.firing, true);
      b.clock.advance(51 * MIN); // fresh is now a window old
      assert.equal((await b.run(evaluator, rule, [fresh]))[0]?.firing, true);
    });
  });
}
