import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertPayload } from '../../src/domain/events/envelope.ts';
import { createEventEvaluator } from '../../src/domain/rules/evaluators/event-evaluator.ts';
import { createEvaluatorRegistry } from '../../src/domain/rules/evaluators/registry.ts';
import { createRuleEvaluator } from '../../src/worker/rule-evaluator.ts';
import { KINDS, MIN, makeRule, useBench } from './evaluator-fixtures.ts';
import { makeEndpoint } from './lifecycle-fixtures.ts';

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

for (const kind of KINDS) {
  void describe(`event rule through the evaluator loop (${kind})`, () => {
    const open = useBench(kind);

    void it('one message per window with clicks, each click in exactly one window, across a restart; two quiet windows resolve', async () => {
      const b = await open();
      const vip = await b.link({ slug: 'vip' });
      const endpoint = makeEndpoint(b.ws.id);
      await b.storage.endpoints.insert(endpoint);
      const t0 = b.clock.now().getTime();
      // Cooldown 1h: an event rule's rate is its window, not its cooldown.
      const rule = makeRule(b.ws.id, { type: 'event', metric: 'clicks', window: '5m' }, { scope: { link_ids: [vip.id] }, endpointIds: [endpoint.id], cooldownMs: 60 * MIN, createdAt: new Date(t0).toISOString() });
      await b.storage.rules.insert(rule);
      const loop = () =>
        createRuleEvaluator({
          deps: { storage: b.storage, clock: b.clock, baseUrl: 'https://lnk.example' },
          registry: createEvaluatorRegistry([createEventEvaluator()]),
          intervalMs: MIN,
          onError: (err) => {
            throw err;
          },
        });
      let worker = loop();
      const sent = async (): Promise<AlertPayload[]> => {
        const page = await b.storage.deliveries.list(b.ws.id, { endpointId: endpoint.id }, { limit: 100 });
        const events = await b.storage.events.getMany(page.items.map((d) => d.eventId));
        return events.sort((x, y) => x.id.localeCompare(y.id)).map((e) => ({ ...(e.data.alert as AlertPayload), type: e.type }) as AlertPayload);
      };
      const evaluated: number[] = [];
      const minute = async (): Promise<void> => {
        b.clock.advance(MIN);
        if ((await worker.runOnce()).length > 0) evaluated.push((b.clock.now().getTime() - t0) / MIN);
      };

      await b.clicks(vip, t0 + 30_000, 3); // window 1
      await minute(); // t+1: first evaluation, window [t-4m05s, t+0m55s)
      await b.clicks(vip, t0 + 3 * MIN, 4); // window 2
      await b.clicks(vip, t0 + 6 * MIN - 3_000, 2); // after window 2's settled end (t+5m55s): window 3
      for (let i = 0; i < 5; i++) await minute(); // t+6: window [t+0m55s, t+5m55s)
      worker = loop(); // a restart: the window start comes from storage
      for (let i = 0; i < 5; i++) await minute(); // t+11
      assert.deepEqual(evaluated, [1, 6, 11], 'evaluated once per window while its alert is open, not every LINKHOOK_RULES_EVAL_MS');
      let alerts = await sent();
      assert.deepEqual(alerts.map((a) => a.value), [3, 4, 2], 'every click reported once: 3 + 4 + 2');
      assert.equal(new Set(alerts.map((a) => a.id)).size, 1, 'one alert, re-sent per window despite the 1h cooldown');
      assert.match(alerts[1]!.summary, /^4 clicks on \/vip in the last 5m/);
      for (let i = 0; i < 10; i++) await minute(); // t+16, t+21: two quiet windows
      alerts = await sent();
      assert.deepEqual(alerts.map((a) => a.status), ['triggered', 'triggered', 'triggered', 'resolved']);
      assert.deepEqual(evaluated, [1, 6, 11, 16, 21]);

      // Quiet again: polled every LINKHOOK_RULES_EVAL_MS, so the first click of
      // a burst is reported within a minute, and the rest of it one window later.
      await b.clicks(vip, t0 + 22 * MIN, 40, 2 * MIN); // t+22:00 .. t+23:57, one every 3 s
      await minute(); // t+22: [t+20:55, t+21:55) quiet
      await minute(); // t+23: [t+21:55, t+22:55) has the first 19
      alerts = await sent();
      assert.equal(alerts.length, 5);
      assert.equal(alerts[4]!.status, 'triggered');
      assert.equal(alerts[4]!.value, 19, 'the first clicks, a minute after they began');
      for (let i = 0; i < 5; i++) await minute(); // t+28: [t+22:55, t+27:55) has the other 21
      alerts = await sent();
      assert.deepEqual(alerts.slice(4).map((a) => a.value), [19, 21], 'the burst: two messages, every click once');
      assert.equal(alerts[5]!.id, alerts[4]!.id);
      assert.deepEqual(evaluated.slice(5), [22, 23, 28]);
    });
  });
}
