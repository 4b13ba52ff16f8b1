// npm run bench:analytics — the analytics API's common queries over a large
// SQLite click log, timed while clicks are still being written and the rollup
// worker folds them. Floor in the same run: each query once from raw clicks
// (the same range shifted by 1 ms, which the rollups cannot answer).
// Results and how to read them: BENCHMARKS.md.
//
// Env: BENCH_CLICKS (default 1,000,000: ~2 min on 2 cores; the full
// run is BENCH_CLICKS=10000000, see BENCHMARKS.md for its time),
// BENCH_LINKS (2,000), BENCH_DAYS (90), BENCH_RUNS (at least 40 per query),
// BENCH_QUERY_SECONDS (at least 30 s of queries: clicks settle 10 s before the
// worker may fold them, so a shorter phase would time queries with no fold running),
// BENCH_WRITE_RATE (clicks/s during the query phase, 500), BENCH_RAW (1: time
// the raw floor once per query; 0 skips it), BENCH_DIR (where the file goes).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSqliteStorage } from '../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import type { AnalyticsRequest } from '../src/domain/analytics/query-analytics.ts';
import { queryAnalytics } from '../src/domain/analytics/query-analytics.ts';
import type { Link } from '../src/domain/links/link.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { createAnalyticsRollupWorker } from '../src/worker/analytics-rollup-worker.ts';
import { addWorkspace, makeLink } from '../test/storage/fixtures.ts';
import { prng, syntheticClicks } from './analytics-data.ts';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const CLICKS = num('BENCH_CLICKS', 1_000_000);
const LINKS = num('BENCH_LINKS', 2000);
const DAYS = num('BENCH_DAYS', 90);
const RUNS = num('BENCH_RUNS', 40);
const QUERY_SECONDS = num('BENCH_QUERY_SECONDS', 30);
const WRITE_RATE = num('BENCH_WRITE_RATE', 500);
const RAW = num('BENCH_RAW', 1) === 1;
/** Clicks per insertMany: one transaction each, 20,000 keeps the JS heap small while loading. */
const LOAD_BATCH = 20_000;

const log = (s: string): void => void process.stdout.write(`${s}\n`);
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'linkhook-bench-analytics-'));
const file = join(dir, 'bench.db');
// A 10 M run leaves ~5 GB behind if interrupted: remove it on Ctrl-C / kill too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
const storage = await createSqliteStorage({ file, synchronous: 'NORMAL', backgroundCheckpoint: true });
await storage.migrate();
try {
  const ws = await addWorkspace(storage);
  const links: Link[] = [];
  const r = prng(7);
  await storage.transaction(async (tx) => {
    for (let i = 0; i < LINKS; i++) {
      const link = makeLink(ws.id, { campaign: `campaign-${i % 40}`, tags: [`tag-${i % 25}`], slug: `l${i.toString(36)}${Math.floor(r() * 1e9).toString(36)}` });
      await tx.links.insert(link);
      links.push(link);
    }
  });

  // 1. Bulk load: the product's own click writer (the redirect's group commit), big batches.
  const end = Date.now();
  const start = end - DAYS * 86_400_000;
  const stream = syntheticClicks(links, CLICKS, start, end);
  // Fast bulk load, as a one-off import would do it: drop the click log's
  // secondary indexes, append in id order, rebuild them once (counted in the
  // figure). Appending with four indexes live measured ~3x slower here.
  const side = new Database(file);
  const indexes = side.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'clicks' and sql is not null`).all() as { name: string; sql: string }[];
  let t0 = performance.now();
  for (const ix of indexes) side.exec(`drop index ${ix.name}`);
  let loaded = 0;
  for (let batch = stream.next(LOAD_BATCH); batch.length > 0; batch = stream.next(LOAD_BATCH)) {
    await storage.clicks.insertMany(batch);
    loaded += batch.length;
    await new Promise<void>((r) => setImmediate(r)); // lets SIGINT/SIGTERM in: the writes are synchronous
    if (loaded % 1_000_000 === 0) log(`  loaded ${loaded.toLocaleString('en')} clicks`);
  }
  for (const ix of indexes) side.exec(ix.sql);
  side.close();
  const loadS = (performance.now() - t0) / 1000;
  log(`ingest: ${loaded.toLocaleString('en')} clicks over ${LINKS} links and ${DAYS} days in ${loadS.toFixed(1)} s = ${Math.round(loaded / loadS).toLocaleString('en')} rows/s`);

  // 2. Rollups from raw clicks (what `linkhook analytics rebuild` does).
  // Counts what the worker folds, to show the queries ran beside a working fold.
  let foldedLive = 0;
  const counted = {
    ...storage.analytics,
    refreshRollups: async (...args: Parameters<typeof storage.analytics.refreshRollups>) => {
      const n = await storage.analytics.refreshRollups(...args);
      foldedLive += n;
      return n;
    },
  };
  const worker = createAnalyticsRollupWorker({ analytics: counted, clock: systemClock, onError: (err) => log(`rollup error: ${String(err)}`) });
  t0 = performance.now();
  const folded = await worker.catchUp();
  const foldS = (performance.now() - t0) / 1000;
  log(`rollup rebuild: ${folded.toLocaleString('en')} clicks in ${foldS.toFixed(1)} s = ${Math.round(folded / foldS).toLocaleString('en')} clicks/s; database ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB`);

  // 3. Queries while a writer adds WRITE_RATE clicks/s at the present and the worker folds them.
  const linkCounts = await storage.analytics.query({ workspaceId: ws.id, fromMs: 0, toMs: 8.64e15, filters: {}, includeBots: false, includeTest: false, groupBy: 'link', bucketStarts: [], limit: 1 });
  const topLink = linkCounts[0]?.key ?? links[0]?.id ?? '';
  const base: AnalyticsRequest = { tz: 'UTC', interval: 'day', groupBy: 'time', filters: {}, limit: null, includeBots: false, includeTest: false };
  const queries: [string, AnalyticsRequest][] = [
    ['30-day daily series, busiest link', { ...base, filters: { link_id: topLink } }],
    ['30-day daily series, workspace', base],
    ['top 10 links, 30 days', { ...base, groupBy: 'link', limit: 10 }],
    ['top 10 countries, 30 days', { ...base, groupBy: 'country', limit: 10 }],
    ['top 10 referrers, 30 days', { ...base, groupBy: 'referrer_domain', limit: 10 }],
  ];
  const live = syntheticClicks(links, 1e12, Date.now(), Date.now() + 1e12 / WRITE_RATE * 1000, 9);
  let written = 0;
  const writer = setInterval(() => {
    // 20 ticks a second; ids minted now, like the redirect's.
    const now = Date.now();
    const batch = live.next(Math.max(1, Math.round(WRITE_RATE / 20))).map((c) => ({ ...c, ts: new Date(now).toISOString() }));
    written += batch.length;
    storage.clicks.insertMany(batch).catch((err: unknown) => log(`writer error: ${String(err)}`));
  }, 50);
  foldedLive = 0;
  worker.start();
  const deps = { analytics: storage.analytics, clock: systemClock };
  const times = queries.map(() => [] as number[]);
  const qStart = performance.now();
  let runs = 0;
  for (; runs < RUNS || performance.now() - qStart < QUERY_SECONDS * 1000; runs++) {
    for (const [i, [, req]] of queries.entries()) {
      const t = performance.now();
      await queryAnalytics(deps, ws.id, req);
      times[i]?.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 5)); // let the writer and the worker in between queries
    }
  }
  const qS = (performance.now() - qStart) / 1000;
  clearInterval(writer);
  await worker.stop();
  log(`queries: ${runs} runs each in ${qS.toFixed(1)} s while ${written.toLocaleString('en')} clicks were written (${Math.round(written / qS)} clicks/s) and ${foldedLive.toLocaleString('en')} folded`);
  log('| query | p50 ms | p95 ms | raw floor ms |');
  log('|---|---:|---:|---:|');
  for (const [i, [name, req]] of queries.entries()) {
    let raw = '-';
    if (RAW) {
      // The same question over a range 1 ms off a day boundary: the rollups cannot answer it, raw clicks must.
      const now = Date.now();
      const to = Math.ceil(now / 86_400_000) * 86_400_000 + 1;
      const t = performance.now();
      await queryAnalytics(deps, ws.id, { ...req, from: new Date(to - 30 * 86_400_000), to: new Date(to) });
      raw = (performance.now() - t).toFixed(0);
    }
    const ts = times[i] ?? [];
    log(`| ${name} | ${pct(ts, 50).toFixed(1)} | ${pct(ts, 95).toFixed(1)} | ${raw} |`);
  }
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
