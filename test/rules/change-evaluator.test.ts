import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Link } from '../../src/domain/links/link.ts';
import { createChangeEvaluator } from '../../src/domain/rules/evaluators/change-evaluator.ts';
import type { Bench } from './evaluator-fixtures.ts';
import { DAY, HOUR, KINDS, makeRule, useBench } from './evaluator-fixtures.ts';

const WEEK = 7 * DAY;

/** Clicks in the same hour 1..weeks.length weeks back (most recent first). */
async function weeklyHistory(b: Bench, link: Link, weeks: number[]): Promise<void> {
  const now = b.clock.now().getTime();
  for (const [i, n] of weeks.entries()) await b.clicks(link, now - (i + 1) * WEEK - HOUR, n, HOUR);
}

for (const kind of KINDS) {
  void describe(`change evaluator (${kind})`, () => {
    const open = useBench(kind);
    const evaluator = createChangeEvaluator();
    const both = { type: 'change', metric: 'clicks', window: '1h', direction: 'both' } as const;

    void it('learns the same hour of the week (median of 4) and fires on a 3x spike over the upper median and a drop to 1/3 of the lower', async () => {
      const b = await open();
      const spike = await b.link({ slug: 'spike' });
      const drop = await b.link({ slug: 'drop' });
      const steady = await b.link({ slug: 'steady' });
      for (const l of [spike, drop, steady]) await weeklyHistory(b, l, [60, 56, 600, 64]); // one past incident: the median ignores it
      const now = b.clock.now().getTime();
      await b.clicks(spike, now - HOUR, 192, HOUR);
      await b.clicks(drop, now - HOUR, 20, HOUR);
      await b.clicks(steady, now - HOUR, 90, HOUR);
      const obs = await b.run(evaluator, makeRule(b.ws.id, both), [spike, drop, steady]);
      assert.deepEqual(obs.map((o) => [o.firing, o.value, o.threshold, o.details?.baseline, o.details?.direction_seen]), [
        [true, 192, 192, 62, 'up'], // 3 x 64, the upper median of 56 60 64 600
        [true, 20, 20, 62, 'down'], // 60 / 3, the lower median
        [false, 90, 192, 62, null],
      ]);
      assert.equal(obs[0]?.summary, 'Spike on /spike: 192 clicks in the last 1h, 3.1x vs 62 expected from the same hour in past weeks');
      assert.equal(obs[1]?.summary, 'Drop on /drop: 20 clicks in the last 1h, vs 62 expected from the same hour in past weeks');
      assert.deepEqual(obs[0]?.details?.baseline_samples, [60, 56, 600, 64]);

      const upOnly = makeRule(b.ws.id, { ...both, direction: 'up' });
      assert.deepEqual((await b.run(evaluator, upOnly, [spike, drop])).map((o) => o.firing), [true, false]);
      const downOnly = makeRule(b.ws.id, { ...both, direction: 'down' });
      assert.deepEqual((await b.run(evaluator, downOnly, [spike, drop])).map((o) => o.firing), [false, true]);
    });

    void it('a surge of bots or test traffic is no spike, unless the rule opts in to bots (test traffic never counts)', async () => {
      const b = await open();
      const l = await b.link({ slug: 'surge' });
      await weeklyHistory(b, l, [60, 60, 60, 60]);
      const now = b.clock.now().getTime();
      await b.clicks(l, now - HOUR, 60, HOUR);
      await b.clicks(l, now - HOUR, 500, HOUR, { isBot: true, botReason: 'user-agent' });
      await b.clicks(l, now - HOUR, 500, HOUR, { isTest: true });
      const [human] = await b.run(evaluator, makeRule(b.ws.id, both), [l]);
      assert.deepEqual([human?.firing, human?.value], [false, 60]);
      const [withBots] = await b.run(evaluator, makeRule(b.ws.id, both, { includeBots: true }), [l]);
      assert.deepEqual([withBots?.firing, withBots?.value], [true, 560]);
    });

    void it('does not flap on tiny links: below min_volume nothing fires, whatever the ratio', async () => {
      const b = await open();
      const tiny = await b.link();
      const gone = await b.link();
      await weeklyHistory(b, tiny, [4, 5, 4, 5]);
      await weeklyHistory(b, gone, [35, 35, 35, 35]);
      await b.clicks(tiny, b.clock.now().getTime() - HOUR, 39, HOUR); // 8.7x, but 39 < 40
      const obs = await b.run(evaluator, makeRule(b.ws.id, both), [tiny, gone]); // gone: 0 vs 35, 35 < 40
      assert.deepEqual(obs.map((o) => o.firing), [false, false]);
      const lower = makeRule(b.ws.id, { ...both, factor: 5, min_volume: 30 });
      assert.deepEqual((await b.run(evaluator, lower, [tiny, gone])).map((o) => o.firing), [true, true]);
    });

    void it('falls back to the same time on past days, then to the recent rate, and judges nothing without history', async () => {
      const b = await open();
      const now = b.clock.now().getTime();
      const days = await b.link({ createdAt: new Date(now - 3 * DAY - HOUR).toISOString() });
      for (let d = 1; d <= 3; d++) await b.clicks(days, now - d * DAY - HOUR, 40, HOUR);
      await b.clicks(days, now - 5 * HOUR, 500, HOUR); // another hour of the day: not the baseline
      await b.clicks(days, now - HOUR, 10, HOUR);
      const hours = await b.link({ createdAt: new Date(now - 6 * HOUR).toISOString() });
      await b.clicks(hours, now - 6 * HOUR, 100, 5 * HOUR); // 20 per hour
      await b.clicks(hours, now - HOUR, 70, HOUR);
      const born = await b.link({ createdAt: new Date(now - 2 * HOUR).toISOString() });
      await b.clicks(born, now - HOUR, 500, HOUR);
      const obs = await b.run(evaluator, makeRule(b.ws.id, both), [days, hours, born]);
      assert.deepEqual(obs.map((o) => [o.firing, o.details?.baseline_kind ?? o.details?.reason, o.details?.baseline]), [
        [true, 'same_time_of_day', 40],
        [true, 'recent_rate', 20],
        [false, 'no_baseline', undefined],
      ]);
      assert.match(obs[1]?.summary ?? '', /^Spike on .*: 70 clicks in the last 1h, 3\.5x vs 20 expected from the recent rate$/);
    });

    void it('history imported before the link was created counts as history', async () => {
      const b = await open();
      const now = b.clock.now().getTime();
      const moved = await b.link({ createdAt: new Date(now - 2 * HOUR).toISOString() });
      await weeklyHistory(b, moved, [50, 50, 50, 50]);
      await b.clicks(moved, now - HOUR, 5, HOUR);
      const [o] = await b.run(evaluator, makeRule(b.ws.id, both), [moved]);
      assert.deepEqual([o?.firing, o?.details?.baseline_kind], [true, 'same_hour_of_week']);
    });
  });
}
