import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import type { OutboundHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { HealthMonitorDeps } from '../../src/domain/links/monitor-health.ts';
import { runHealthChecks } from '../../src/domain/links/monitor-health.ts';
import { createHealthEvaluator } from '../../src/domain/rules/evaluators/health-evaluator.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { resolverLookup, startDnsServer } from '../helpers/dns-server.ts';
import type { MonitorWorld } from './monitor-fixtures.ts';
import { BASE_URL, forLink, observationOf, openWorld } from './monitor-fixtures.ts';

// The destination health monitor against REAL servers on 127.0.0.1, reached
// through the real SSRF-guarded client (allowed to 127.0.0.0/8 as an operator
// would) and a loopback DNS server, so site.test and elsewhere.test are two
// real names of two "sites". Time between checks is a ManualClock.

const MIN = 60_000;

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`destination health monitor on ${kind}`, () => {
    let dns: DnsServer;
    let server: Server;
    let port = 0;
    let http: OutboundHttpClient;
    let w: MonitorWorld;
    let deps: HealthMonitorDeps;
    let flakyFails = 0;
    let brokenUntilFixed = true;
    const hits = new Map<string, number>();

    before(async () => {
      dns = await startDnsServer({ a: { 'site.test': ['127.0.0.1'], 'www.site.test': ['127.0.0.1'], 'elsewhere.test': ['127.0.0.1'] } });
      server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        hits.set(path, (hits.get(path) ?? 0) + 1);
        const redirect = (to: string) => {
          res.writeHead(302, { location: to });
          res.end();
        };
        if (path === '/ok') return void res.end('fine');
        if (path === '/404') return void res.writeHead(404).end('missing');
        if (path === '/500') return void res.writeHead(500).end('boom');
        if (path === '/hang') return; // never answers: the check times out
        if (path === '/loop-a') return redirect('/loop-b');
        if (path === '/loop-b') return redirect(`http://site.test:${port}/loop-a`);
        if (path.startsWith('/chain/')) {
          const n = Number(path.slice('/chain/'.length));
          return n < 6 ? redirect(`/chain/${n + 1}`) : void res.end('end of chain');
        }
        if (path === '/to-www') return redirect(`http://www.site.test:${port}/ok`);
        if (path === '/off-domain') return redirect(`http://elsewhere.test:${port}/parked`);
        if (path === '/parked') return void res.end('this domain is for sale');
        if (path === '/no-head') return void (req.method === 'HEAD' ? res.writeHead(405).end() : res.end('GET only'));
        if (path === '/flaky') {
          if (flakyFails > 0) {
            flakyFails -= 1;
            return void res.writeHead(503).end('deploying');
          }
          return void res.end('fine');
        }
        if (path === '/fixable') return void (brokenUntilFixed ? res.writeHead(502).end('bad gateway') : res.end('fixed'));
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      http = createHttpClient({ guard: createOutboundGuard(['127.0.0.0/8'], { lookup: resolverLookup(dns.address) }), connectTimeoutMs: 2000, totalTimeoutMs: 5000, maxBodyBytes: 64 * 1024 });
      w = await openWorld(kind);
      deps = {
        storage: w.storage,
        http,
        baseUrl: BASE_URL,
        customDomainScheme: 'https',
        intervalMs: 30 * MIN,
        priorityIntervalMs: 5 * MIN,
        confirmAfterMs: MIN,
        // Only /hang ever needs it; every other answer is immediate.
        timeoutMs: 500,
        concurrency: 4,
        maxChecksPerRun: 100,
      };
    });

    after(async () => {
      http.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dns.close();
      await w.close();
    });

    const url = (path: string) => `http://site.test:${port}${path}`;

    it('confirms each kind of failure on the second check, emits link.redirect_failed once, and leaves healthy links alone', async () => {
      const cases: [string, string][] = [
        ['/404', 'http_status'],
        ['/500', 'http_status'],
        ['/hang', 'timeout'],
        ['/loop-a', 'redirect_loop'],
        ['/chain/0', 'too_many_hops'],
        ['/off-domain', 'unexpected_domain'],
      ];
      const broken: Link[] = [];
      for (const [path] of cases) broken.push(await w.link({ url: url(path) }));
      const healthy = [await w.link({ url: url('/ok') }), await w.link({ url: url('/to-www') }), await w.link({ url: url('/no-head') })];
      const rule = w.rule({ type: 'health', max_hops: 5 });
      const evaluator = createHealthEvaluator(deps);
      const links = [...broken, ...healthy];

      const first = await evaluator.evaluate(w.ctx(rule, links));
      for (const l of links) assert.equal(observationOf(first, l.id).firing, false, 'one failed check is only a suspicion');
      assert.equal((await w.events('link.redirect_failed')).length, 0);

      w.clock.advance(MIN);
      const second = await evaluator.evaluate(w.ctx(rule, links));
      const failed = await w.events('link.redirect_failed');
      for (const [i, [path, errorClass]] of cases.entries()) {
        const link = broken[i] as Link;
        const o = observationOf(second, link.id);
        assert.equal(o.firing, true, `${path} should be confirmed failing`);
        assert.equal(o.details?.error_class, errorClass, `${path}: ${String(o.details?.error)}`);
        const events = forLink(failed, link.id);
        assert.equal(events.length, 1, `${path}: one link.redirect_failed`);
        const data = events[0]?.data as { check: { error_class: string; status: number | null }; consecutive_failures: number; failing_since: string };
        assert.equal(data.check.error_class, errorClass);
        assert.equal(data.consecutive_failures, 2);
        assert.equal(data.failing_since, '2026-03-01T00:00:00.000Z');
      }
      assert.equal((forLink(failed, broken[0]!.id)[0]?.data as { check: { status: number } }).check.status, 404);
      for (const l of healthy) assert.equal(observationOf(second, l.id).firing, false, `${l.url} is healthy`);
      assert.ok((hits.get('/parked') ?? 0) > 0, 'the off-domain chain was followed to its end');

      // Still broken at the next interval: still firing, no second event.
      w.clock.advance(30 * MIN);
      const third = await evaluator.evaluate(w.ctx(rule, links));
      for (const l of broken) assert.equal(observationOf(third, l.id).firing, true);
      assert.equal((await w.events('link.redirect_failed')).length, cases.length);
    });

    it('does not report a single failure that heals by the confirming check (flapping)', async () => {
      const link = await w.link({ url: url('/flaky') });
      const rule = w.rule({ type: 'health' });
      const evaluator = createHealthEvaluator(deps);
      flakyFails = 1;
      assert.equal(observationOf(await evaluator.evaluate(w.ctx(rule, [link])), link.id).firing, false);
      w.clock.advance(MIN);
      assert.equal(observationOf(await evaluator.evaluate(w.ctx(rule, [link])), link.id).firing, false);
      assert.equal(forLink(await w.events('link.redirect_failed'), link.id).length, 0);
      assert.equal(hits.get('/flaky'), 2, 'checked twice: the failure and the confirming check');
    });

    it('emits link.redirect_recovered with the downtime when a confirmed failure heals', async () => {
      const link = await w.link({ url: url('/fixable'), priority: 'high' });
      const rule = w.rule({ type: 'health' });
      const evaluator = createHealthEvaluator(deps);
      await evaluator.evaluate(w.ctx(rule, [link]));
      w.clock.advance(MIN);
      assert.equal(observationOf(await evaluator.evaluate(w.ctx(rule, [link])), link.id).firing, true);
      brokenUntilFixed = false;
      // A priority link is re-checked after 5 minutes, not 30.
      w.clock.advance(5 * MIN);
      const healed = await evaluator.evaluate(w.ctx(rule, [link]));
      assert.equal(observationOf(healed, link.id).firing, false);
      const recovered = forLink(await w.events('link.redirect_recovered'), link.id);
      assert.equal(recovered.length, 1);
      const data = recovered[0]?.data as { failing_since: string; downtime_seconds: number; check: { status: number; error_class: null } };
      assert.equal(data.check.status, 200);
      assert.equal(data.check.error_class, null);
      assert.equal(data.downtime_seconds, 6 * 60);
    });

    it('checks a link once when two workers evaluate at the same moment', async () => {
      const link = await w.link({ url: url('/ok?twice') });
      hits.set('/ok', 0);
      await Promise.all([runHealthChecks(deps, [link], w.clock.now(), {}), runHealthChecks(deps, [link], w.clock.now(), {})]);
      assert.equal(hits.get('/ok'), 1);
    });

    it('does not check expired or switched-off links', async () => {
      const expired = await w.link({ url: url('/404'), expires_at: '2026-02-01T00:00:00.000Z' });
      const off = await w.link({ url: url('/404'), scheduled_changes: [{ at: '2026-02-01T00:00:00.000Z', action: 'disable' }] });
      hits.set('/404', 0);
      const obs = await createHealthEvaluator(deps).evaluate(w.ctx(w.rule({ type: 'health' }), [expired, off]));
      assert.equal(hits.get('/404'), 0);
      assert.ok(obs.every((o) => !o.firing));
    });
  });
}
