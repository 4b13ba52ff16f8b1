import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventEvaluator } from '../../src/domain/rules/evaluators/event-evaluator.ts';
import { KINDS, MIN, makeRule, useBench } from './evaluator-fixtures.ts';

for (const kind of KINDS) {
  void describe(`event evaluator (${kind})`, () => {
    const open = useBench(kind);
    const evaluator = createEventEvaluator();

    void it('coalesces every click of the window into one observation: count, first/last, links, examples', async () => {
      const b = await open();
      const vip = await b.link({ priority: 'high', slug: 'vip' });
      const other = await b.link({ slug: 'other' });
      const now = b.clock.now().getTime();
      await b.clicks(vip, now - 4 * MIN, 40, 2 * MIN);
      await b.clicks(other, now - 1 * MIN, 2, 0, { country: 'FR' });
      await b.clicks(vip, now - 6 * MIN, 3); // before the window
      await b.clicks(vip, now - 2 * MIN, 5, 0, { isTest: true });
      await b.clicks(vip, now - 2 * MIN, 5, 0, { isBot: true, botReason: 'user-agent' });
      const rule = makeRule(b.ws.id, { type: 'event', metric: 'clicks', window: '5m' });
      const obs = await b.run(evaluator, rule, [vip, other]);
      assert.equal(obs.length, 1);
      const [o] = obs;
      assert.ok(o);
      assert.equal(o.subject, 'scope');
      assert.equal(o.firing, true);
      assert.equal(o.value, 42);
      assert.equal(o.linkId, null);
      assert.match(o.summary, /^42 clicks on 2 links, most on \/vip in the last 5m/);
      assert.equal(o.details?.first_at, new Date(now - 4 * MIN).toISOString());
      assert.equal(o.details?.last_at, new Date(now - 1 * MIN).toISOString());
      assert.equal((o.details?.examples as unknown[]).length, 5);
      assert.deepEqual((o.details?.links as { count: number }[]).map((l) => l.count), [40, 2]);
    });

    void it('names the link when only one had clicks, counts scans for a scans rule, and is quiet on an empty window', async () => {
      const b = await open();
      const poster = await b.link({ slug: 'poster' });
      const now = b.clock.now().getTime();
      await b.clicks(poster, now - 30_000, 1, 0, { isQr: true });
      await b.clicks(poster, now - 20_000, 4);
      const rule = makeRule(b.ws.id, { type: 'event', metric: 'scans', window: '1m' });
      const [o] = await b.run(evaluator, rule, [poster]);
      assert.equal(o?.firing, true);
      assert.equal(o?.linkId, poster.id);
      assert.equal(o?.summary.startsWith('1 scan on /poster in the last 1m'), true);
      b.clock.advance(MIN);
      const [quiet] = await b.run(evaluator, rule, [poster]);
      assert.deepEqual([quiet?.firing, quiet?.value], [false, 0]);
    });

    void it('counts bots only when the rule opts in', async () => {
      const b = await open();
      const l = await b.link();
      await b.clicks(l, b.clock.now().getTime() - MIN, 3, 0, { isBot: true, botReason: 'preview' });
      const t = { type: 'event', metric: 'clicks', window: '5m' } as const;
      assert.equal((await b.run(evaluator, makeRule(b.ws.id, t), [l]))[0]?.firing, false);
      assert.equal((await b.run(evaluator, makeRule(b.ws.id, t, { includeBots: true }), [l]))[0]?.value, 3);
    });
  });
}
