// npm run bench:analytics-shapes — why the rollups are running
// totals: the top 10 links over 30 and over 90 days, timed over three rollup
// shapes holding the same counts (2,000 links, 90 days, Zipf(0.8) popularity
// as in bench/analytics.ts, ~60,000 link-days in 30 days), on one SQLite
// file, in one run:
//   daily    one row per link and day, keyed and indexed as migration 0006 had
//            them; a range sums one row per link and day (the old design);
//   weekly   the daily rows plus one row per link and Monday-aligned week: a
//            range is its whole weeks plus at most 12 loose days;
//   running  one row per link and day holding the total through that day
//            (the product's analytics_running): two lookups per link.
// No ANALYZE, as in the product: with statistics SQLite picks the value index
// for the daily sum and reads all 90 days (~110 ms instead of ~14 ms here).
// Env: BENCH_RUNS (40), BENCH_CLICKS_PER_DAY (111,000: the 10 M run's density).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { prng } from './analytics-data.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PER_DAY = Number(process.env.BENCH_CLICKS_PER_DAY ?? 111_000);
const LINKS = 2000;
const DAYS = 90;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
// A Monday: weeks are aligned to it.
const D0 = Date.parse('2026-01-05T00:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'linkhook-bench-shapes-'));
const db = new Database(join(dir, 'shapes.db'));
try {
  db.pragma('journal_mode = WAL');
  db.exec(`
    create table daily (dim text not null, day integer not null, value text not null, clicks integer not null, visitors integer not null,
      primary key (dim, day, value)) strict, without rowid;
    create index daily_value on daily(dim, value, day);
    create table weekly (dim text not null, week integer not null, value text not null, clicks integer not null, visitors integer not null,
      primary key (dim, week, value)) strict, without rowid;
    create table running (dim text not null, value text not null, day integer not null, clicks integer not null, visitors integer not null,
      primary key (dim, value, day)) strict, without rowid;
    create table vals (dim text not null, value text not null, last_day integer not null, primary key (dim, value)) strict, without rowid;
    create index vals_last_day on vals(dim, last_day);`);
  const rnd = prng(3);
  const weights = Array.from({ length: LINKS }, (_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const insDaily = db.prepare('insert into daily values (?, ?, ?, ?, ?)');
  const insRunning = db.prepare('insert into running values (?, ?, ?, ?, ?)');
  const upWeekly = db.prepare('insert into weekly values (?, ?, ?, ?, ?) on conflict do update set clicks = clicks + excluded.clicks, visitors = visitors + excluded.visitors');
  const insVals = db.prepare('insert into vals values (?, ?, ?)');
  db.transaction(() => {
    weights.forEach((w, i) => {
      const value = `lnk_${String(i).padStart(26, '0')}`;
      const mean = (PER_DAY * w) / total;
      let clicks = 0;
      let visitors = 0;
      let last = -1;
      for (let d = 0; d < DAYS; d++) {
        const n = Math.floor(mean + rnd());
        if (n === 0) continue;
        const v = Math.ceil(n / 2);
        clicks += n;
        visitors += v;
        last = d;
        const day = D0 + d * DAY;
        insDaily.run('link', day, value, n, v);
        insRunning.run('link', value, day, clicks, visitors);
        upWeekly.run('link', D0 + Math.floor(d / 7) * WEEK, value, n, v);
      }
      if (last >= 0) insVals.run('link', value, D0 + last * DAY);
    });
  })();

  const top = (rows: { value: string; n: number }[]) => rows.sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1)).slice(0, 10).map((r) => [r.value, r.n]);
  const daily = db.prepare('select value, sum(clicks) as n, sum(visitors) as v from daily where dim = ? and day >= ? and day < ? group by value');
  const weekly = db.prepare(`select value, sum(n) as n, sum(v) as v from (
      select value, clicks as n, visitors as v from weekly where dim = 'link' and week >= ? and week < ?
      union all select value, clicks, visitors from daily where dim = 'link' and ((day >= ? and day < ?) or (day >= ? and day < ?))
    ) group by value`);
  const running = db.prepare(`select value, n, u from (
      select v.value as value, a.clicks - coalesce(b.clicks, 0) as n, a.visitors - coalesce(b.visitors, 0) as u
      from vals v
      join running a on a.dim = v.dim and a.value = v.value
        and a.day = (select max(x.day) from running x where x.dim = v.dim and x.value = v.value and x.day < ?)
      left join running b on b.dim = v.dim and b.value = v.value
        and b.day = (select max(y.day) from running y where y.dim = v.dim and y.value = v.value and y.day < ?)
      where v.dim = 'link' and v.last_day >= ?) where n > 0`);
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

  // The last 30 days (starting mid-week, as most ranges do), then all 90.
  for (const rangeDays of [30, 90]) {
    const to = D0 + DAYS * DAY;
    const from = to - rangeDays * DAY;
    const firstWeek = Math.ceil((from - D0) / WEEK) * WEEK + D0;
    const lastWeek = Math.floor((to - D0) / WEEK) * WEEK + D0;
    const shapes: [string, () => unknown][] = [
      ['daily', () => top(daily.all('link', from, to) as { value: string; n: number }[])],
      ['weekly', () => top(weekly.all(firstWeek, lastWeek, from, firstWeek, lastWeek, to) as { value: string; n: number }[])],
      ['running', () => top(running.all(to, from, from) as { value: string; n: number }[])],
    ];
    const expected = JSON.stringify(shapes[0]?.[1]());
    const rowsIn = (db.prepare('select count(*) as n from daily where day >= ? and day < ?').get(from, to) as { n: number }).n;
    process.stdout.write(`top 10 links over ${rangeDays} days: ${rowsIn.toLocaleString('en')} daily rows in range, ${RUNS} runs per shape, interleaved; answers checked equal\n`);
    const times = shapes.map(() => [] as number[]);
    for (let r = 0; r < RUNS; r++) {
      shapes.forEach(([name, run], i) => {
        const t = performance.now();
        const got = JSON.stringify(run());
        times[i]?.push(performance.now() - t);
        if (got !== expected) throw new Error(`${name} disagrees with daily: ${got}`);
      });
    }
    process.stdout.write('| shape | p50 ms | p95 ms |\n|---|---:|---:|\n');
    shapes.forEach(([name], i) => process.stdout.write(`| ${name} | ${pct(times[i] ?? [], 50).toFixed(1)} | ${pct(times[i] ?? [], 95).toFixed(1)} |\n`));
  }
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
