// Destination outages for bench:alerts: real HTTP servers on 127.0.0.1 whose
// answers follow a labelled schedule keyed by the SIMULATED clock, checked
// through the real health evaluator (guarded HTTP client with loopback
// allowed, as LINKHOOK_OUTBOUND_ALLOW=127.0.0.0/8 would), the real rule
// evaluation (evaluateRule: scope, evaluator, alert lifecycle, storm control)
// over a temp SQLite file, one evaluation per simulated minute (the default
// LINKHOOK_RULES_EVAL_MS).
//
// Labels:
// - outages (500, 404, timeout, redirect loop) lasting at least two check
//   intervals of their link (priority links are checked every 5 min, the
//   others every 30): each must raise one alert, confirmed by a second check;
// - blips (a 502 or a hang of 10-50 s, shorter than the 1 min confirmation):
//   NOT outages. A blip a check happens to hit must not alert: that is what
//   the confirming check is for. Any alert not matching an outage is false.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient } from '../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../src/adapters/outbound/create-outbound-guard.ts';
import { createSqliteStorage } from '../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import type { Link } from '../src/domain/links/link.ts';
import { evaluateRule } from '../src/domain/rules/evaluate-rule.ts';
import { createHealthEvaluator } from '../src/domain/rules/evaluators/health-evaluator.ts';
import { createEvaluatorRegistry } from '../src/domain/rules/evaluators/registry.ts';
import type { Rule } from '../src/domain/rules/rule.ts';
import { ManualClock } from '../src/domain/shared/clock.ts';
import { newId } from '../src/domain/shared/ids.ts';
import { DAY, rng } from './alerts-traffic.ts';

const MIN = 60_000;
/** The product defaults (config: LINKHOOK_HEALTH_INTERVAL, _PRIORITY_INTERVAL, _CONFIRM_AFTER). */
const INTERVAL = 30 * MIN;
const PRIORITY_INTERVAL = 5 * MIN;
const CONFIRM_AFTER = MIN;
/** Real time a hung destination costs a check; short so the bench stays minutes long (the product default is longer). */
const TIMEOUT_MS = 300;
const STEP = MIN;

export type OutageKind = '500' | '404' | 'timeout' | 'loop';
const KINDS: OutageKind[] = ['500', '404', 'timeout', 'loop'];

export interface Period {
  linkIndex: number;
  kind: OutageKind | 'blip502' | 'bliphang';
  start: number;
  end: number;
}

export interface OutageFigures {
  incidents: number;
  detected: number;
  falseAlerts: number;
  /** Detection delays in minutes. */
  delaysMin: number[];
  /** The same in check intervals of the link (5 or 30 min): the health trigger's evaluation window. */
  delaysWindows: number[];
  byKind: Map<OutageKind, { incidents: number; detected: number }>;
  blips: number;
  /** Blips at least one check landed in (so the confirmation was put to the test). */
  blipsSeen: number;
  checks: number;
  evaluations: number;
  seconds: number;
  linkDays: number;
}

/** Outages and blips per link, never overlapping, from a seeded PRNG. */
export function planOutages(r: () => number, links: { priority: boolean }[], from: number, to: number, perLinkDay: number, blipsPerLinkDay: number): Period[] {
  const out: Period[] = [];
  for (const [i, l] of links.entries()) {
    const interval = l.priority ? PRIORITY_INTERVAL : INTERVAL;
    let t = from + r() * DAY;
    while (t < to) {
      // Exponential gaps: on average 1/rate days between events of either kind.
      const rate = perLinkDay + blipsPerLinkDay;
      t += (-Math.log(Math.max(r(), 1e-12)) / rate) * DAY;
      if (t >= to) break;
      if (r() < perLinkDay / rate) {
        // 2 to 12 check intervals: every labelled outage is seen by at least two checks.
        const len = interval * (2 + r() * 10);
        if (t + len > to) break;
        out.push({ linkIndex: i, kind: KINDS[Math.floor(r() * KINDS.length)] as OutageKind, start: t, end: t + len });
        t += len + 2 * interval;
      } else {
        const len = 10_000 + r() * 40_000;
        out.push({ linkIndex: i, kind: r() < 0.5 ? 'blip502' : 'bliphang', start: t, end: t + len });
        t += len + 2 * interval;
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export async function runOutageBench(opts: {
  links: number;
  days: number;
  seed: number;
  from: number;
  perLinkDay?: number;
  blipsPerLinkDay?: number;
}): Promise<{ rule: OutageFigures; floor: OutageFigures }> {
  const r = rng(opts.seed);
  const to = opts.from + opts.days * DAY;
  // A fifth of the links are priority (checked every 5 min): launch pages, paid campaigns.
  const profiles = Array.from({ length: opts.links }, (_, i) => ({ priority: i % 5 === 0 }));
  const periods = planOutages(r, profiles, opts.from, to, opts.perLinkDay ?? 0.1, opts.blipsPerLinkDay ?? 0.5);
  const byLink = new Map<number, Period[]>();
  for (const p of periods) byLink.set(p.linkIndex, [...(byLink.get(p.linkIndex) ?? []), p]);
  const clock = new ManualClock(opts.from);
  const seen = new Set<Period>();
  let checks = 0;
  /** Every request the destinations answered, for the floor: (link, simulated time, failed). */
  const requests: { linkIndex: number; at: number; failed: boolean }[] = [];

  // The destinations: one loopback server, a path per link, answering as the schedule says at the simulated now.
  const hung = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    checks += 1;
    const m = /^\/d\/(\d+)/.exec(req.url ?? '');
    const i = m ? Number(m[1]) : -1;
    const now = clock.now().getTime();
    const p = byLink.get(i)?.find((x) => x.start <= now && now < x.end);
    if (p) seen.add(p);
    requests.push({ linkIndex: i, at: now, failed: p !== undefined });
    const kind = p?.kind;
    if (kind === '500') return void res.writeHead(500).end('internal error');
    if (kind === '404') return void res.writeHead(404).end('not found');
    if (kind === 'blip502') return void res.writeHead(502).end('bad gateway');
    if (kind === 'loop') return void res.writeHead(302, { location: `/d/${i}/again` }).end();
    if (kind === 'timeout' || kind === 'bliphang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return; // never answers; the client times out
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ok</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Loopback is allowed here exactly as an operator allows it: LINKHOOK_OUTBOUND_ALLOW=127.0.0.0/8.
  const http = createHttpClient({ guard: createOutboundGuard(['127.0.0.0/8']), connectTimeoutMs: TIMEOUT_MS, totalTimeoutMs: TIMEOUT_MS, maxBodyBytes: 64 * 1024 });

  const dir = mkdtempSync(join(tmpdir(), 'linkhook-bench-outages-'));
  const storage = await createSqliteStorage({ file: join(dir, 'outages.db'), synchronous: 'NORMAL' });
  const started = Date.now();
  let evaluations = 0;
  const triggers: { linkIndex: number; at: number }[] = [];
  try {
    await storage.migrate();
    const at = new Date(opts.from - DAY).toISOString();
    const ws = { id: newId('workspace'), slug: 'bench-outages', name: 'Bench outages', createdAt: at };
    await storage.workspaces.insert(ws);
    const links: Link[] = profiles.map((p, i) => ({
      id: newId('link'), workspaceId: ws.id, domain: null, slug: `o${i}`, url: `http://127.0.0.1:${port}/d/${i}`, redirectType: 302, title: null, tags: ['monitored'], campaign: null,
      utm: {}, priority: p.priority ? 'high' : 'normal', owner: null, expiresAt: null, expiredUrl: null, scheduledChanges: [], isTest: false, externalId: null, metadata: {}, createdAt: at, updatedAt: at,
    }));
    for (const l of links) await storage.links.insert(l);
    const index = new Map(links.map((l, i) => [l.id, i]));
    const rule: Rule = {
      id: `rule_${newId('link').slice(4)}`, workspaceId: ws.id, name: 'Broken redirects', scope: { tags: ['monitored'] }, trigger: { type: 'health' },
      endpointIds: [], escalationEndpointIds: [], owner: { name: 'bench', contact: null }, action: 'Fix the landing page', severity: 'critical', class: 'alert',
      cooldownMs: 0, responseTimeMs: null, includeBots: false, enabled: true, createdAt: at, updatedAt: at,
    };
    await storage.rules.insert(rule);
    const registry = createEvaluatorRegistry([
      createHealthEvaluator({
        storage, http, baseUrl: 'https://lh.example', customDomainScheme: 'https',
        intervalMs: INTERVAL, priorityIntervalMs: PRIORITY_INTERVAL, confirmAfterMs: CONFIRM_AFTER, timeoutMs: TIMEOUT_MS, concurrency: 8, maxChecksPerRun: 200,
      }),
    ]);
    const deps = { storage, clock, baseUrl: 'https://lh.example' };
    for (let now = opts.from; now < to; now += STEP) {
      clock.set(now);
      const res = await evaluateRule(deps, registry, { ...rule, evaluatedUntil: null });
      evaluations += 1;
      for (const a of res.result?.triggered ?? []) if (a.linkId) triggers.push({ linkIndex: index.get(a.linkId) ?? -1, at: now });
    }
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
    http.close();
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  const outages = periods.filter((p) => p.kind !== 'blip502' && p.kind !== 'bliphang');
  const blips = periods.filter((p) => p.kind === 'blip502' || p.kind === 'bliphang');
  // Floor, from the same run's requests: page on the first failed check of a streak (no confirming check).
  const floorTriggers: { linkIndex: number; at: number }[] = [];
  const lastFailed = new Map<number, boolean>();
  for (const q of requests) {
    if (q.failed && !lastFailed.get(q.linkIndex)) floorTriggers.push({ linkIndex: q.linkIndex, at: q.at });
    // A redirect loop is several requests in one check, all failing: one streak.
    lastFailed.set(q.linkIndex, q.failed);
  }
  const common = { blips: blips.length, blipsSeen: blips.filter((b) => seen.has(b)).length, checks, evaluations, seconds: (Date.now() - started) / 1000, linkDays: opts.links * opts.days };
  return {
    rule: { ...score(outages, triggers, profiles), ...common },
    floor: { ...score(outages, floorTriggers, profiles), ...common },
  };
}

/**
 * An outage is detected by the first unused alert on its link between its
 * start and its end plus the confirmation (a check just before the end is
 * confirmed a minute later); every other alert is a false one.
 */
function score(outages: Period[], triggers: { linkIndex: number; at: number }[], profiles: { priority: boolean }[]): Omit<OutageFigures, 'blips' | 'blipsSeen' | 'checks' | 'evaluations' | 'seconds' | 'linkDays'> {
  const used = new Set<number>();
  const delaysMin: number[] = [];
  const delaysWindows: number[] = [];
  const byKind = new Map<OutageKind, { incidents: number; detected: number }>(KINDS.map((k) => [k, { incidents: 0, detected: 0 }]));
  for (const o of outages) {
    const k = byKind.get(o.kind as OutageKind);
    if (k) k.incidents += 1;
    const i = triggers.findIndex((t, n) => !used.has(n) && t.linkIndex === o.linkIndex && t.at >= o.start && t.at <= o.end + CONFIRM_AFTER + STEP);
    if (i < 0) continue;
    used.add(i);
    if (k) k.detected += 1;
    const delay = (triggers[i] as { at: number }).at - o.start;
    delaysMin.push(delay / MIN);
    delaysWindows.push(delay / ((profiles[o.linkIndex]?.priority ?? false) ? PRIORITY_INTERVAL : INTERVAL));
  }
  return { incidents: outages.length, detected: used.size, falseAlerts: triggers.length - used.size, delaysMin, delaysWindows, byKind };
}
