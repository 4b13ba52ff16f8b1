// npm run bench:redirect — linkhook's redirect hot path (SQLite, click capture
// on) against a bare node:http server answering 302 (the floor), in one run,
// with the same client settings. Results and how to read them: BENCHMARKS.md.
//
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (64), BENCH_WARMUP
// (s, 2), BENCH_RUNS (1; alternates floor and linkhook, prints medians),
// BENCH_CPU_PROF=dir (runs linkhook under node --cpu-prof, profile in dir).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Result } from 'autocannon';
import { openSqlite, seedLinks, spawnLinkhook } from '../test/redirect/spawn-linkhook.ts';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const DURATION = num('BENCH_DURATION', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 64);
const WARMUP = num('BENCH_WARMUP', 2);
const RUNS = num('BENCH_RUNS', 1);
const CPU_PROF = process.env.BENCH_CPU_PROF;
// A real browser's user agent, so every click goes through full parsing.
const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  redirects: number;
  errors: number;
  /** Server CPU time per request (user + system), NaN where /proc is missing. */
  cpuUs: number;
}

/**
 * CPU seconds a process has used, from /proc (Linux). On a shared 2-core box
 * req/s swings with whatever else runs; CPU per request barely does, so it is
 * the steadier measure of what the hot path costs.
 */
function cpuMicros(pid: number | undefined): number {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return Number.NaN;
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function load(url: string, duration: number, pid?: number): Promise<Figures> {
  const before = cpuMicros(pid);
  const r: Result = await autocannon({ url, connections: CONNECTIONS, duration, headers: { 'user-agent': USER_AGENT } });
  const cpuUs = (cpuMicros(pid) - before) / r.requests.total;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, redirects: r['3xx'], errors: r.errors + r.timeouts + r['4xx'] + r['5xx'], cpuUs };
}

async function startFloor(): Promise<{ url: string; pid: number | undefined; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./floor-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`floor server exited (${code})`)));
  });
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const fmt = (f: Figures): string =>
  `${Math.round(f.rps).toString().padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(5)} ms   p99 ${f.p99.toFixed(1).padStart(5)} ms   cpu ${f.cpuUs.toFixed(0).padStart(3)} µs/req   3xx ${f.redirects}   errors ${f.errors}`;

async function metricValue(url: string, name: string, label: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(label));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linkhook-bench-'));
  const floor = await startFloor();
  await seedLinks(dataDir, [{ url: 'https://example.com/landing', slug: 'bench' }]);
  const lh = await spawnLinkhook(dataDir, {}, CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []);
  const lhUrl = `${lh.url}/bench`;
  console.log(`redirect bench: ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s warm-up, ${RUNS} run(s), loopback`);
  console.log(`floor:    ${floor.url}  (bare node:http, 302)`);
  console.log(`linkhook: ${lhUrl}  (SQLite, click capture on)\n`);

  let clientRedirects = 0;
  const floors: Figures[] = [];
  const lhs: Figures[] = [];
  try {
    if (WARMUP > 0) {
      await load(floor.url, WARMUP);
      clientRedirects += (await load(lhUrl, WARMUP)).redirects;
    }
    for (let run = 1; run <= RUNS; run++) {
      const f = await load(floor.url, DURATION, floor.pid);
      floors.push(f);
      console.log(`run ${run} floor    ${fmt(f)}`);
      const l = await load(lhUrl, DURATION, lh.child.pid);
      lhs.push(l);
      clientRedirects += l.redirects;
      console.log(`run ${run} linkhook ${fmt(l)}   ratio ${(l.rps / f.rps).toFixed(2)}`);
    }
    const served = await metricValue(lh.url, 'linkhook_redirects_total', 'status="302"');
    const batches = await metricValue(lh.url, 'linkhook_click_batch_size_count', '');
    const commitSum = await metricValue(lh.url, 'linkhook_click_commit_seconds_sum', '');
    const slowCommits = batches - (await metricValue(lh.url, 'linkhook_click_commit_seconds_bucket', 'le="0.01"'));
    lh.child.kill('SIGTERM');
    await lh.exited;
    const storage = await openSqlite(dataDir);
    const stored = await storage.clicks.countAll();
    await storage.close();

    const medians = (fs: Figures[]) => ({ rps: median(fs.map((f) => f.rps)), p50: median(fs.map((f) => f.p50)), p99: median(fs.map((f) => f.p99)), cpuUs: median(fs.map((f) => f.cpuUs)) });
    const mf = medians(floors);
    const ml = medians(lhs);
    const line = (m: typeof mf): string => `${Math.round(m.rps)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  cpu ${m.cpuUs.toFixed(0)} µs/req`;
    console.log(`\nmedian   floor    ${line(mf)}`);
    console.log(`median   linkhook ${line(ml)}`);
    // Each run loads the floor and linkhook back to back, so a run's ratio
    // compares like with like; the floor alone swings 2x between runs here.
    const ratio = median(lhs.map((l, i) => l.rps / (floors[i] as Figures).rps));
    console.log(`ratio    ${ratio.toFixed(2)} of the floor's req/s (median of per-run ratios; target >= 0.50), linkhook p99 ${ml.p99.toFixed(1)} ms (target < 15 ms)`);
    console.log(`         ${(mf.cpuUs / ml.cpuUs).toFixed(2)} of the floor's requests per CPU-second (floor cpu/req ÷ linkhook cpu/req)`);
    // The server counts a redirect when it writes it; the client may miss the
    // last few answers when autocannon stops mid-request, never the reverse.
    const ok = stored === served && clientRedirects <= stored;
    console.log(`clicks   stored ${stored}, 302s written by linkhook ${served}, 3xx received by the client ${clientRedirects}: ${ok ? 'every redirect has its click' : 'MISMATCH'}`);
    console.log(`commits  ${batches} group commits, ${(served / batches).toFixed(1)} clicks and ${((commitSum / batches) * 1000).toFixed(2)} ms each on average, ${slowCommits} took over 10 ms`);
    if (!ok) process.exitCode = 1;
  } finally {
    floor.stop();
    if (lh.child.exitCode === null && lh.child.signalCode === null) lh.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
