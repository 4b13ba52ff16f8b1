import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateLink } from '../../src/domain/links/update-link.ts';
import type { LifecycleSweepDeps } from '../../src/domain/links/sweep-lifecycle.ts';
import { DEFAULT_LEAD_TIMES_MS } from '../../src/domain/links/sweep-lifecycle.ts';
import { createLifecycleEvaluator } from '../../src/domain/rules/evaluators/lifecycle-evaluator.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import { createLifecycleSweeper } from '../../src/worker/lifecycle-sweeper.ts';
import { makeClick } from '../storage/fixtures.ts';
import type { MonitorWorld } from './monitor-fixtures.ts';
import { BASE_URL, forLink, observationOf, openWorld } from './monitor-fixtures.ts';

// Lifecycle notices and alerts, driven by a ManualClock over real databases.
// "Several workers" are several sweepers over the same database, run at the
// same moment: each notice must still be sent exactly once.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`lifecycle on ${kind}`, () => {
    let w: MonitorWorld;
    let sweep: LifecycleSweepDeps;
    before(async () => {
      w = await openWorld(kind, '2026-03-01T00:00:00.000Z');
      sweep = { storage: w.storage, clock: w.clock, baseUrl: BASE_URL, customDomainScheme: 'https', leadTimesMs: DEFAULT_LEAD_TIMES_MS, lookbackMs: 7 * DAY, batchSize: 2 };
    });
    after(async () => {
      await w.close();
    });

    it('sends link.expiring at 7 days and at 1 day, link.expired once, each exactly once across concurrent sweepers', async () => {
      const link = await w.link({ url: 'https://shop.example/spring', expires_at: '2026-03-10T00:00:00.000Z', expired_url: 'https://shop.example/over' });
      // Padding links, so the sweep pages (batchSize 2) through more than one page.
      for (let i = 0; i < 3; i += 1) await w.link({ url: `https://shop.example/p${i}`, expires_at: '2026-04-30T00:00:00.000Z' });
      const sweepers = [createLifecycleSweeper({ sweep, everyMs: 60_000 }), createLifecycleSweeper({ sweep, everyMs: 60_000 })];
      const runAll = async () => Promise.all(sweepers.map((s) => s.runOnce()));

      await runAll(); // 9 days before: nothing due yet
      assert.equal(forLink(await w.events('link.expiring'), link.id).length, 0);

      w.clock.set('2026-03-03T00:00:00.000Z'); // 7 days before
      await runAll();
      await runAll();
      let expiring = forLink(await w.events('link.expiring'), link.id);
      assert.equal(expiring.length, 1);
      assert.equal((expiring[0]?.data as { expires_in_seconds: number }).expires_in_seconds, 7 * 24 * 3600);

      w.clock.set('2026-03-09T06:00:00.000Z'); // 18 h before: the 1-day notice
      await runAll();
      await runAll();
      expiring = forLink(await w.events('link.expiring'), link.id);
      assert.equal(expiring.length, 2);
      assert.equal((expiring[0]?.data as { expires_in_seconds: number }).expires_in_seconds, 18 * 3600);

      w.clock.set('2026-03-10T00:01:00.000Z');
      await runAll();
      await runAll();
      const expired = forLink(await w.events('link.expired'), link.id);
      assert.equal(expired.length, 1);
      assert.deepEqual(
        { at: (expired[0]?.data as { expired_at: string }).expired_at, url: (expired[0]?.data as { expired_url: string }).expired_url },
        { at: '2026-03-10T00:00:00.000Z', url: 'https://shop.example/over' },
      );
    });

    it('arms the notices again when expires_at moves later', async () => {
      w.clock.set('2026-03-20T00:00:00.000Z');
      const link = await w.link({ url: 'https://shop.example/ext', expires_at: '2026-03-20T12:00:00.000Z' });
      await createLifecycleSweeper({ sweep, everyMs: 60_000 }).runOnce();
      assert.equal(forLink(await w.events('link.expiring'), link.id).length, 1, 'first seen 12 h before: one notice, not a 7-day and a 1-day one');
      await updateLink(w.linkDeps, w.workspaceId, link.id, { expires_at: '2026-03-21T06:00:00.000Z' });
      w.clock.set('2026-03-20T07:00:00.000Z');
      await createLifecycleSweeper({ sweep, everyMs: 60_000 }).runOnce();
      assert.equal(forLink(await w.events('link.expiring'), link.id).length, 2);
    });

    it('announces a scheduled change once when its time passes, with the old and new destination', async () => {
      w.clock.set('2026-04-01T00:00:00.000Z');
      const link = await w.link({
        url: 'https://shop.example/spring',
        utm: { source: 'print' },
        scheduled_changes: [
          { at: '2026-04-02T00:00:00.000Z', url: 'https://shop.example/summer' },
          { at: '2026-04-03T00:00:00.000Z', action: 'disable' },
        ],
      });
      const sweeper = createLifecycleSweeper({ sweep, everyMs: 60_000 });
      await sweeper.runOnce();
      assert.equal(forLink(await w.events('link.scheduled_change_applied'), link.id).length, 0);
      w.clock.set('2026-04-02T00:00:30.000Z');
      await Promise.all([sweeper.runOnce(), sweeper.runOnce()]);
      let applied = forLink(await w.events('link.scheduled_change_applied'), link.id);
      assert.equal(applied.length, 1);
      assert.deepEqual(applied[0]?.data && { ...applied[0].data, link: undefined }, {
        link: undefined,
        scheduled_at: '2026-04-02T00:00:00.000Z',
        action: 'change_url',
        old_url: 'https://shop.example/spring?utm_source=print',
        new_url: 'https://shop.example/summer?utm_source=print',
      });
      w.clock.set('2026-04-03T00:00:30.000Z');
      await sweeper.runOnce();
      applied = forLink(await w.events('link.scheduled_change_applied'), link.id);
      assert.equal(applied.length, 2);
      assert.equal((applied[0]?.data as { action: string; new_url: null }).action, 'disable');
      assert.equal((applied[0]?.data as { new_url: null }).new_url, null);
    });

    it('the sweeper loop runs passes until stopped', async () => {
      w.clock.set('2026-05-01T00:00:00.000Z');
      const link = await w.link({ url: 'https://shop.example/loop', expires_at: '2026-05-01T12:00:00.000Z' });
      const sweeper = createLifecycleSweeper({ sweep, everyMs: 10 });
      sweeper.start();
      for (let i = 0; i < 200 && forLink(await w.events('link.expiring'), link.id).length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
      await sweeper.stop();
      assert.equal(forLink(await w.events('link.expiring'), link.id).length, 1);
    });

    it('lifecycle rule: expiring soon, traffic on an expired link, and a scanned QR link whose destination changed', async () => {
      w.clock.set('2026-06-01T00:00:00.000Z');
      const soon = await w.link({ url: 'https://shop.example/soon', expires_at: '2026-06-01T20:00:00.000Z' });
      const later = await w.link({ url: 'https://shop.example/later', expires_at: '2026-09-01T00:00:00.000Z' });
      const gone = await w.link({ url: 'https://shop.example/gone', expires_at: '2026-06-01T01:00:00.000Z' });
      const qr = await w.link({ url: 'https://shop.example/poster', campaign: 'summer-posters' });
      const webOnly = await w.link({ url: 'https://shop.example/web', campaign: 'summer-posters' });
      await w.storage.clicks.insertMany([
        makeClick(qr, { id: newId('click', Date.parse('2026-06-01T00:30:00.000Z')), ts: '2026-06-01T00:30:00.000Z', isQr: true }),
        makeClick(webOnly, { id: newId('click', Date.parse('2026-06-01T00:30:00.000Z')), ts: '2026-06-01T00:30:00.000Z' }),
        makeClick(gone, { id: newId('click', Date.parse('2026-06-01T02:00:00.000Z')), ts: '2026-06-01T02:00:00.000Z' }),
        // Bots do not count as people still using an expired link.
        makeClick(gone, { id: newId('click', Date.parse('2026-06-01T02:10:00.000Z')), ts: '2026-06-01T02:10:00.000Z', isBot: true }),
      ]);
      w.clock.set('2026-06-01T03:00:00.000Z');
      await updateLink(w.linkDeps, w.workspaceId, qr.id, { url: 'https://shop.example/new-poster' });
      await updateLink(w.linkDeps, w.workspaceId, webOnly.id, { url: 'https://shop.example/new-web' });
      const links = [soon, later, gone, qr, webOnly];
      const rule = w.rule({ type: 'lifecycle', lead_times: ['1d'] }, { campaign: undefined });
      const obs = await createLifecycleEvaluator().evaluate(w.ctx(rule, links));
      assert.equal(observationOf(obs, `${soon.id}:expiring`).firing, true);
      assert.match(observationOf(obs, `${soon.id}:expiring`).summary, /expires in 17h \(at 2026-06-01T20:00:00.000Z\)/);
      assert.equal(observationOf(obs, `${later.id}:expiring`).firing, false);
      const traffic = observationOf(obs, `${gone.id}:expired_traffic`);
      assert.equal(traffic.firing, true);
      assert.equal(traffic.value, 1);
      assert.match(traffic.summary, /still got 1 click in the last 24h/);
      // A rule that opts in to bots (watching crawlers on dead links) counts them too.
      const withBots = await createLifecycleEvaluator().evaluate(w.ctx({ ...rule, includeBots: true }, links));
      assert.equal(observationOf(withBots, `${gone.id}:expired_traffic`).value, 2);
      assert.match(observationOf(withBots, `${gone.id}:expired_traffic`).summary, /still got 2 visits in the last 24h/);
      const changed = observationOf(obs, `${qr.id}:qr_destination_changed`);
      assert.equal(changed.firing, true, changed.summary);
      assert.equal(changed.details?.new_url, 'https://shop.example/new-poster');
      assert.equal(observationOf(obs, `${webOnly.id}:qr_destination_changed`).firing, false, 'never scanned: no printed codes to worry about');

      // A day later the change is old news and the expired link went quiet.
      w.clock.set('2026-06-02T04:00:00.000Z');
      const next = await createLifecycleEvaluator().evaluate(w.ctx(rule, links));
      assert.equal(observationOf(next, `${qr.id}:qr_destination_changed`).firing, false);
      assert.equal(observationOf(next, `${gone.id}:expired_traffic`).firing, false);
    });
  });
}
