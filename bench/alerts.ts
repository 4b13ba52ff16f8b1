// npm run bench:alerts — signal quality of the change rule (the default
// `{"type": "change", "metric": "clicks", "window": "1h", "direction": "both"}`)
// on labelled synthetic traffic, and of the health rule (`{"type": "health"}`)
// on labelled destination outages served by real loopback servers
// (bench/alerts-outages.ts): recall, false alerts per 100 link-days and
// median detection delay in evaluation windows, per part and in total.
// Results: BENCHMARKS.md.
//
// The traffic (bench/alerts-traffic.ts) goes into a temp SQLite file: 4 weeks
// of history, then the evaluated period, with incidents injected in both (the
// ones in the history test that a past incident does not become the
// baseline; only the evaluated ones are labels). The rule is evaluated with a
// ManualClock every quarter window through the real evaluator and the real
// alert lifecycle (hysteresis, alerts written to the database), exactly as
// the worker would, and alerts are matched to incidents:
// - an incident is detected when an alert on its link triggers between its
//   start and one window after its end (the window still holds it);
// - every other alert is a false alert.
//
// Floor, in the same run: the same evaluations with a naive detector — the
// current window against the previous one, same factor and min volume — the
// baseline a hand-written cron job would use.
//
// Env: BENCH_LINKS (50), BENCH_DAYS (20 evaluated days), BENCH_SEED (42),
// BENCH_OUTAGE_LINKS (50) / BENCH_OUTAGE_DAYS (20) for the outage part (0 days: skip it),
// BENCH_FACTOR / BENCH_MIN_VOLUME (the rule's; default the product defaults),
// BENCH_DB=path (keep and reuse the generated traffic), BENCH_DEBUG=1 (list false alerts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStorage } from '../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import type { Link } from '../src/domain/links/link.ts';
import { applyObservations } from '../src/domain/rules/alert-lifecycle.ts';
import { DEFAULT_FACTOR, DEFAULT_MIN_VOLUME, createChangeEvaluator } from '../src/domain/rules/evaluators/change-evaluator.ts';
import type { Rule } from '../src/domain/rules/rule.ts';
import { ManualClock } from '../src/domain/shared/clock.ts';
import { newId, newIdAt } from '../src/domain/shared/ids.ts';
import type { OutageFigures } from './alerts-outages.ts';
import { runOutageBench } from './alerts-outages.ts';
import type { Incident } from './alerts-traffic.ts';
import { DAY, HOUR, clickTimes, planTraffic, rng } from './alerts-traffic.ts';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const LINKS = num('BENCH_LINKS', 50);
const DAYS = num('BENCH_DAYS', 20);
const SEED = num('BENCH_SEED', 42);
/** The rule's factor and min_volume (labels do not change): to see what other defaults would do. */
const FACTOR = num('BENCH_FACTOR', DEFAULT_FACTOR);
const MIN_VOLUME = num('BENCH_MIN_VOLUME', DEFAULT_MIN_VOLUME);
const WINDOW = HOUR;
const STEP = WINDOW / 4;
const HISTORY_DAYS = 28;

const T0 = Date.parse('2026-03-02T00:00:00.000Z'); // a Monday: the evaluated period starts here
const historyFrom = T0 - HISTORY_DAYS * DAY;
const evalTo = T0 + DAYS * DAY;

interface Figures {
  detected: number;
  incidents: number;
  falseAlerts: number;
  delays: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Matches alert triggers (link id, time) to incidents. */
function score(triggers: { linkId: string; at: number }[], incidents: Incident[], links: Link[]): Figures {
  const delays: number[] = [];
  const used = new Set<number>();
  for (const inc of incidents) {
    const id = links[inc.linkIndex]?.id;
    const i = triggers.findIndex((t, k) => !used.has(k) && t.linkId === id && t.at >= inc.start && t.at <= inc.end + WINDOW);
    if (i < 0) continue;
    used.add(i);
    delays.push((((triggers[i] as { at: number }).at - inc.start) / WINDOW));
  }
  // A second alert during the same incident (after a resolve) is not a false alarm about traffic, but it is noise: count it.
  return { detected: delays.length, incidents: incidents.length, falseAlerts: triggers.length - used.size, delays };
}

function reportOutages(name: string, f: OutageFigures): void {
  const falses = `false alerts/100 link-days ${((100 * f.falseAlerts) / f.linkDays).toFixed(2)} (${f.falseAlerts})`;
  process.stdout.write(
    `${name.padEnd(22)} recall ${(f.detected / f.incidents).toFixed(3)} (${f.detected}/${f.incidents})  ${falses}  median delay ${median(f.delaysWindows).toFixed(2)} check intervals (${median(f.delaysMin).toFixed(1)} min)\n`,
  );
}

function report(name: string, f: Figures, withFalse = true): void {
  const linkDays = LINKS * DAYS;
  const falses = withFalse ? `false alerts/100 link-days ${((100 * f.falseAlerts) / linkDays).toFixed(2)} (${f.falseAlerts})  ` : '';
  process.stdout.write(`${name.padEnd(22)} recall ${(f.detected / f.incidents).toFixed(3)} (${f.detected}/${f.incidents})  ${falses}median delay ${median(f.delays).toFixed(2)} windows\n`);
}

// BENCH_DB=path keeps the generated traffic in that file and reuses it on the
// next run with the same settings (generation is most of the run time).
const keep = process.env.BENCH_DB;
const dir = mkdtempSync(join(tmpdir(), 'linkhook-bench-alerts-'));
const file = keep ?? join(dir, 'bench.db');
const reuse = keep !== undefined && existsSync(keep);
const storage = await createSqliteStorage({ file, synchronous: 'NORMAL' });
try {
  await storage.migrate();
  const ws = (reuse ? await storage.workspaces.getBySlug('bench') : undefined) ?? { id: newId('workspace'), slug: 'bench', name: 'Bench', createdAt: new Date(historyFrom).toISOString() };
  if (!reuse) await storage.workspaces.insert(ws);
  const r = rng(SEED);
  const traffic = { links: LINKS, minDaily: 200, maxDaily: 1500, perLinkDay: 0.25, minHourly: DEFAULT_MIN_VOLUME * 1.25 };
  const plan = planTraffic(r, { ...traffic, evalFrom: T0, evalTo });
  const pastIncidents = planTraffic(rng(SEED + 1), { ...traffic, evalFrom: historyFrom, evalTo: T0 }).incidents;
  const at = new Date(historyFrom).toISOString();
  let links: Link[] = plan.links.map((_, i) => ({
    id: newId('link'), workspaceId: ws.id, domain: null, slug: `l${i}`, url: 'https://example.com/', redirectType: 302, title: null, tags: [], campaign: null,
    utm: {}, priority: 'normal', owner: null, expiresAt: null, expiredUrl: null, scheduledChanges: [], isTest: false, externalId: null, metadata: {}, createdAt: at, updatedAt: at,
  }));
  const started = Date.now();
  let total = 0;
  if (reuse) links = (await storage.links.list(ws.id, {}, { limit: 10_000 })).items.sort((a, b) => Number(a.slug.slice(1)) - Number(b.slug.slice(1)));
  for (const link of reuse ? [] : links) await storage.links.insert(link);
  // Clicks go in through a second connection with one prepared statement and
  // one transaction per link: the storage's writer is built for group commits
  // of live clicks, and the benchmark's question is the rule, not the writer.
  const raw = new Database(file);
  const insert = raw.prepare(
    `insert into clicks (id, workspace_id, link_id, ts, domain_key, slug, method, device_type, is_bot, is_qr, is_test, visitor_hash, utm) values (?, ?, ?, ?, '', ?, 'GET', 'mobile', 0, 0, 0, 'bench', '{}')`,
  );
  for (const [i, link] of (reuse ? [] : links).entries()) {
    const p = plan.links[i];
    if (!p) continue;
    const mine = [...plan.incidents, ...pastIncidents].filter((x) => x.linkIndex === i);
    const times = clickTimes(r, p, mine, historyFrom, evalTo);
    raw.transaction(() => {
      for (const t of times) insert.run(newIdAt('click', t), ws.id, link.id, t, link.slug);
    })();
    total += times.length;
  }
  raw.close();
  process.stdout.write(`${LINKS} links, ${HISTORY_DAYS} days of history + ${DAYS} evaluated days (${LINKS * DAYS} link-days), ${reuse ? `traffic reused from ${file}` : `${total} clicks`}, ${plan.incidents.length} incidents (${plan.incidents.filter((x) => x.kind === 'spike').length} spikes); generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const rule: Rule = {
    id: `rule_${newId('link').slice(4)}`, workspaceId: ws.id, name: 'bench', scope: {}, trigger: { type: 'change', metric: 'clicks', window: '1h', direction: 'both', factor: FACTOR, min_volume: MIN_VOLUME },
    endpointIds: [], escalationEndpointIds: [], owner: { name: 'bench', contact: null }, action: 'none', severity: 'warning', class: 'alert', cooldownMs: 0,
    responseTimeMs: null, includeBots: false, enabled: true, createdAt: at, updatedAt: at,
  };
  await storage.rules.insert(rule);
  const evaluator = createChangeEvaluator();
  const clock = new ManualClock(T0);
  const deps = { storage, clock, baseUrl: 'https://lh.example' };
  const triggers: { linkId: string; at: number; summary?: string }[] = [];
  const naive: { linkId: string; at: number }[] = [];
  const naiveOpen = new Set<string>();
  const evalStarted = Date.now();
  const timing = { evaluate: 0, lifecycle: 0 };
  for (let now = T0 + STEP; now <= evalTo; now += STEP) {
    clock.set(now);
    const ctx = { rule, now: new Date(now), links, storage, clock };
    let tq = performance.now();
    const obs = await evaluator.evaluate(ctx);
    timing.evaluate += performance.now() - tq;
    tq = performance.now();
    const res = await applyObservations(deps, rule, obs, links);
    timing.lifecycle += performance.now() - tq;
    for (const a of res.triggered) if (a.linkId) triggers.push({ linkId: a.linkId, at: now, summary: a.summary });
    // Floor: this window against the previous one; an alert opens once and closes on the first calm window.
    const cur = await storage.clicks.countByLink({ workspaceId: ws.id, linkIds: links.map((l) => l.id), from: new Date(now - WINDOW), to: new Date(now), metric: 'clicks' });
    const prev = await storage.clicks.countByLink({ workspaceId: ws.id, linkIds: links.map((l) => l.id), from: new Date(now - 2 * WINDOW), to: new Date(now - WINDOW), metric: 'clicks' });
    const c = new Map(cur.map((x) => [x.linkId, x.count]));
    const pv = new Map(prev.map((x) => [x.linkId, x.count]));
    for (const l of links) {
      const n = c.get(l.id) ?? 0;
      const b = pv.get(l.id) ?? 0;
      const fire = Math.max(n, b) >= DEFAULT_MIN_VOLUME && (n >= DEFAULT_FACTOR * b || n <= b / DEFAULT_FACTOR);
      if (fire && !naiveOpen.has(l.id)) naive.push({ linkId: l.id, at: now });
      if (fire) naiveOpen.add(l.id);
      else naiveOpen.delete(l.id);
    }
  }
  process.stdout.write(`${(evalTo - T0) / STEP} evaluations in ${((Date.now() - evalStarted) / 1000).toFixed(1)} s (evaluator ${(timing.evaluate / 1000).toFixed(1)} s, lifecycle ${(timing.lifecycle / 1000).toFixed(1)} s)\n`);
  report('change rule (default)', score(triggers, plan.incidents, links));
  for (const kind of ['spike', 'drop'] as const) report(`  ${kind}s`, score(triggers, plan.incidents.filter((x) => x.kind === kind), links), false);
  report('floor: vs previous 1h', score(naive, plan.incidents, links));
  const trafficFigures = score(triggers, plan.incidents, links);

  const OUTAGE_LINKS = num('BENCH_OUTAGE_LINKS', 50);
  const OUTAGE_DAYS = num('BENCH_OUTAGE_DAYS', 20);
  if (OUTAGE_DAYS > 0) {
    const { rule: out, floor } = await runOutageBench({ links: OUTAGE_LINKS, days: OUTAGE_DAYS, seed: SEED + 7, from: T0 });
    const kinds = [...out.byKind].map(([k, v]) => `${k}: ${v.incidents}`).join(', ');
    process.stdout.write(
      `destination outages: ${OUTAGE_LINKS} links (a fifth priority) x ${OUTAGE_DAYS} days (${out.linkDays} link-days), ${out.incidents} outages (${kinds}), ${out.blips} blips shorter than the confirmation (${out.blipsSeen} hit by a check); ${out.checks} requests to loopback destinations in ${out.evaluations} evaluations, ${out.seconds.toFixed(1)} s\n`,
    );
    reportOutages('health rule (default)', out);
    for (const [k, v] of out.byKind) process.stdout.write(`  ${k.padEnd(20)} recall ${(v.detected / Math.max(1, v.incidents)).toFixed(3)} (${v.detected}/${v.incidents})\n`);
    reportOutages('floor: first failure', floor);
    // Total: one delay unit for both, the trigger's evaluation window (1 h for change, the link's check interval for health).
    const linkDays = LINKS * DAYS + out.linkDays;
    const incidents = trafficFigures.incidents + out.incidents;
    const detected = trafficFigures.detected + out.detected;
    const falses = trafficFigures.falseAlerts + out.falseAlerts;
    process.stdout.write(
      `${'total'.padEnd(22)} recall ${(detected / incidents).toFixed(3)} (${detected}/${incidents})  false alerts/100 link-days ${((100 * falses) / linkDays).toFixed(2)} (${falses})  median delay ${median([...trafficFigures.delays, ...out.delaysWindows]).toFixed(2)} windows\n`,
    );
  }
  if (process.env.BENCH_DEBUG) {
    for (const t of triggers) {
      const li = links.findIndex((l) => l.id === t.linkId);
      const near = plan.incidents.filter((x) => x.linkIndex === li && t.at >= x.start - DAY && t.at <= x.end + DAY);
      const hit = near.some((x) => t.at >= x.start && t.at <= x.end + WINDOW);
      if (!hit) process.stdout.write(`  false ${new Date(t.at).toISOString()} l${li} ${near.map((x) => `${x.kind}@${new Date(x.start).toISOString()}..${new Date(x.end).toISOString()}`).join(',')} ${t.summary ?? ''}\n`);
    }
  }
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });

}
