import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDeliverySignal } from '../../src/domain/delivery/delivery-signal.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { createReport } from '../../src/domain/reports/manage-reports.ts';
import { runDueReports, type RunOutcome } from '../../src/domain/reports/run-due-reports.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { Workspace } from '../../src/domain/workspaces/workspace.ts';
import { createReportScheduler } from '../../src/worker/report-scheduler.ts';
import { makeEndpoint } from '../destinations/destination-fixtures.ts';
import { openTestStorage, type StorageKind, type TestStorage } from '../helpers/test-storage.ts';
import { addWorkspace, makeClick, makeLink } from '../storage/fixtures.ts';

// The report scheduler against a real database, driven by a ManualClock:
// fires on time, exactly once per fire, once (not zero, not many) after an
// outage, and never twice when two schedulers race on one database.

const DAY = 86_400_000;

export function reportSchedulerSuite(kind: StorageKind): void {
  describe(`report scheduler (${kind})`, () => {
    let storage: Storage;
    let opened: TestStorage;
    let ws: Workspace;
    let endpointId: string;
    const clock = new ManualClock('2026-03-10T05:00:00Z');
    const deps = () => ({ storage, clock, baseUrl: 'https://lnk.example', customDomainScheme: 'https' });
    const summaries = async () => (await storage.events.list(ws.id, { type: 'report.summary' }, { limit: 100 })).items;

    before(async () => {
      opened = await openTestStorage(kind);
      storage = opened.storage;
      ws = await addWorkspace(storage);
      const ep = { ...makeEndpoint('http', {}, 'https://hooks.example/r'), id: newId('endpoint'), workspaceId: ws.id, class: 'report' as const };
      await storage.endpoints.insert(ep);
      endpointId = ep.id;
    });
    after(() => opened.cleanup());

    it('runs at the fire time, emits a valid report.summary to its endpoint, and not again before the next fire', async () => {
      const link = makeLink(ws.id, { slug: 'spring', campaign: 'spring', utm: { source: 'news' }, createdAt: '2026-03-01T00:00:00.000Z' });
      const idle = makeLink(ws.id, { slug: 'spring-de', campaign: 'spring', utm: { source: 'news', medium: 'email', campaign: 'spring' }, createdAt: '2026-03-01T00:00:00.000Z' });
      await storage.links.insert(link);
      await storage.links.insert(idle);
      const at = (iso: string) => ({ ts: iso });
      await storage.clicks.insertMany([
        ...[1, 2, 3, 4, 5, 6].map((h) => makeClick(link, at(new Date(Date.parse('2026-03-09T06:00:00Z') + h * 3_600_000).toISOString()))),
        makeClick(link, { ts: '2026-03-09T08:00:00.000Z', isBot: true }),
        makeClick(link, { ts: '2026-03-09T08:00:00.000Z', isTest: true }),
      ]);
      const report = await createReport({ storage, clock }, ws.id, { name: 'Daily', cron: '0 7 * * *', timezone: 'Europe/Berlin', endpoint_ids: [endpointId] });
      assert.equal(report.nextRunAt, '2026-03-10T06:00:00.000Z'); // 07:00 in Berlin (CET)

      assert.deepEqual(await runDueReports(deps()), [], 'not due yet');
      clock.set('2026-03-10T06:00:10Z');
      const [outcome, ...more] = await runDueReports(deps());
      assert.equal(more.length, 0);
      assert.equal(outcome?.status, 'sent');
      assert.deepEqual(await runDueReports(deps()), [], 'not twice for one fire');

      const [event] = await summaries();
      assert.ok(event);
      const parsed = EVENT_CATALOGUE['report.summary'].schema.safeParse(event.data);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      const r = parsed.data.report;
      assert.equal(r.period_start, '2026-03-09T06:00:00.000Z');
      assert.equal(r.period_end, '2026-03-10T06:00:00.000Z');
      assert.deepEqual(r.totals, { clicks: 6, scans: 0, unique_visitors: 1, bots: 1, test: 1 });
      assert.deepEqual(r.top_links.map((l) => [l.short_url, l.clicks]), [['https://lnk.example/spring', 6]]);
      assert.deepEqual(r.growing_links.map((l) => [l.link_id, l.clicks, l.previous_clicks]), [[link.id, 6, 0]]);
      assert.deepEqual(r.issues.map((i) => [i.link_id, i.kind, i.detail]), [[link.id, 'incomplete_utm', 'missing utm_medium, utm_campaign']]);
      assert.deepEqual(r.inactive_links.map((l) => l.link_id), [idle.id]);
      assert.equal(r.daily_clicks.length, 7);
      // The last bar is the morning of the report's own day (local), so far.
      assert.deepEqual(r.daily_clicks.slice(-2), [{ date: '2026-03-09', clicks: 6 }, { date: '2026-03-10', clicks: 0 }]);

      const deliveries = (await storage.deliveries.list(ws.id, {}, { limit: 10 })).items.filter((d) => d.eventId === event.id);
      assert.deepEqual(deliveries.map((d) => d.endpointId), [endpointId]);
      const next = await storage.reports.getById(ws.id, report.id);
      assert.equal(next?.nextRunAt, '2026-03-11T06:00:00.000Z');
      assert.equal(next?.lastRunAt, '2026-03-10T06:00:00.000Z');
    });

    it('runs a missed schedule once after an outage, for the latest period, then resumes the cron', async () => {
      const before = (await summaries()).length;
      clock.set(Date.parse('2026-03-10T06:00:10Z') + 3 * DAY + 5 * 3_600_000); // down for three days and then some
      const outcomes = await runDueReports(deps());
      assert.equal(outcomes.filter((o) => o.status === 'sent').length, 1);
      assert.deepEqual(await runDueReports(deps()), []);
      const all = await summaries();
      assert.equal(all.length, before + 1);
      const latest = EVENT_CATALOGUE['report.summary'].schema.parse(all[0]?.data).report;
      assert.equal(latest.period_end, '2026-03-13T06:00:00.000Z');
      const s = (await storage.reports.list(ws.id))[0];
      assert.equal(s?.nextRunAt, '2026-03-14T06:00:00.000Z');
    });

    it('gives a due schedule to one of two racing schedulers only', async () => {
      clock.set('2026-03-14T06:00:01Z');
      const results = await Promise.all([runDueReports(deps()), runDueReports(deps())]);
      assert.equal(results.flat().filter((o) => o.status === 'sent').length, 1);
    });

    it('lists failing destinations and expired links still visited as suspected issues, scoped by tag', async () => {
      const broken = makeLink(ws.id, { slug: 'broken', tags: ['q2'], createdAt: '2026-03-01T00:00:00.000Z' });
      const expired = makeLink(ws.id, { slug: 'gone', tags: ['q2'], expiresAt: '2026-03-14T12:00:00.000Z', createdAt: '2026-03-01T00:00:00.000Z' });
      const other = makeLink(ws.id, { slug: 'other', tags: ['q3'], createdAt: '2026-03-01T00:00:00.000Z' });
      for (const l of [broken, expired, other]) await storage.links.insert(l);
      // The monitor's own sequence: claim the check (creates the state row), then save its outcome.
      assert.ok(await storage.linkMonitor.claimHealthCheck(broken, '2026-03-14T10:00:00.000Z', '2026-03-14T10:05:00.000Z'));
      await storage.linkMonitor.saveHealth({
        linkId: broken.id,
        workspaceId: ws.id,
        status: 'failing',
        consecutiveFailures: 3,
        failingSince: '2026-03-14T09:00:00.000Z',
        lastCheck: { url: broken.url, checkedAt: '2026-03-14T10:00:00.000Z', status: 503, errorClass: 'http_status', error: 'HTTP 503 from https://example.com/', durationMs: 40, finalUrl: broken.url, chain: [broken.url] },
        nextCheckAt: '2026-03-14T10:05:00.000Z',
        updatedAt: '2026-03-14T10:00:00.000Z',
      });
      await storage.clicks.insertMany([makeClick(expired, { ts: '2026-03-14T18:00:00.000Z' }), makeClick(other, { ts: '2026-03-14T18:00:00.000Z' })]);
      const q2 = await createReport({ storage, clock }, ws.id, { name: 'Q2', cron: '0 6 * * *', scope: { tags: ['q2'] }, endpoint_ids: [endpointId] });
      clock.set('2026-03-15T06:00:00Z');
      const sent = (await runDueReports(deps())).filter((o) => o.scheduleId === q2.id);
      assert.equal(sent[0]?.status, 'sent');
      const event = (await summaries()).find((e) => e.id === sent[0]?.eventId);
      const r = EVENT_CATALOGUE['report.summary'].schema.parse(event?.data).report;
      assert.deepEqual(r.top_links.map((l) => l.link_id), [expired.id], 'the q3 link is out of scope');
      assert.deepEqual(r.issues.map((i) => [i.link_id, i.kind]).sort(), [[broken.id, 'failing_health_check'], [expired.id, 'expired_but_visited']].sort());
      assert.equal(r.issues.find((i) => i.kind === 'failing_health_check')?.detail, 'HTTP 503 from https://example.com/ since 2026-03-14 09:00 UTC');
      assert.match(r.issues.find((i) => i.kind === 'expired_but_visited')?.detail ?? '', /^expired 2026-03-14 12:00 UTC, last visit 2026-03-14 18:00 UTC$/);
    });

    it('the worker loop runs due schedules, wakes the delivery dispatcher, and stops cleanly', async () => {
      const signal = createDeliverySignal();
      let wakes = 0;
      signal.subscribe(() => wakes++);
      clock.set('2026-03-16T06:00:05Z');
      const outcomes: RunOutcome[][] = [];
      const errors: unknown[] = [];
      const scheduler = createReportScheduler({ deps: deps(), signal, pollMs: 3_600_000, onRun: (o) => outcomes.push(o), onError: (e) => errors.push(e) });
      const ticked = await scheduler.tick();
      assert.ok(ticked.length >= 1 && ticked.every((o) => o.status === 'sent'), JSON.stringify(ticked));
      assert.equal(wakes, 1);
      scheduler.start(); // its first pass finds nothing due: the tick above took them
      await scheduler.stop();
      assert.deepEqual(errors, []);
      assert.equal(outcomes.length, 1);
    });

    it('refuses a bad cron, a bad timezone and unknown endpoints with 422 fields', async () => {
      const bad = async (body: Record<string, unknown>, field: string) => {
        await assert.rejects(createReport({ storage, clock }, ws.id, { name: 'x', cron: '0 7 * * *', endpoint_ids: [endpointId], ...body }), (err: { code?: string; details?: { fields?: { field: string }[] } }) => {
          assert.equal(err.code, 'validation_failed');
          assert.ok(err.details?.fields?.some((f) => f.field === field), JSON.stringify(err.details));
          return true;
        });
      };
      await bad({ cron: 'every day' }, 'cron');
      await bad({ cron: '*/5 * * * *' }, 'cron');
      await bad({ timezone: 'Mars/Olympus' }, 'timezone');
      await bad({ endpoint_ids: ['ep_01kjr2rk8myrm27v3bhxbhcmjz'] }, 'endpoint_ids.0');
    });
  });
}
