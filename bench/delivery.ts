// npm run bench:delivery — signed webhook delivery, end to end: a real
// `linkhook serve` (its in-process delivery worker, the default deployment)
// fans events out to HTTP receivers on loopback, and the receivers (a child
// process of their own) time every delivery from the event's timestamp to
// its arrival. Results and how to read them: BENCHMARKS.md.
//
//   floor    the receivers' own ceiling: plain signed POSTs from one process, 64 in flight
//   burst    BENCH_BURST events at once (bulk API) → K endpoints: drain rate, deliveries/s
//   steady   BENCH_RATE events/s for BENCH_SECONDS (a bulk POST every 100 ms) → K endpoints: p50/p99
//   slow     the same, K other endpoints of which 20% never answer: the healthy ones' p99
//   clicks   BENCH_CLICK_RATE redirects/s for BENCH_SECONDS on a link a link.clicked endpoint wants: p99
//
// Every event must reach every healthy endpoint of its pass exactly once
// (a repeat only under the same webhook-id); the script exits non-zero if one
// is lost. Signatures: every delivery must carry one, a sample is verified with
// the official standardwebhooks package (bench/delivery-receiver.ts).
//
// Env: BENCH_ENDPOINTS (10), BENCH_BURST (1000 events), BENCH_RATE (120 events/s,
// i.e. 1,200 deliveries/s at 10 endpoints), BENCH_SECONDS (10), BENCH_CLICK_RATE
// (500), BENCH_TIMEOUT_MS (2000: LINKHOOK_OUTBOUND_TIMEOUT_MS, how long a silent
// receiver holds a delivery), BENCH_DRAIN_S (60: most a pass waits for stragglers),
// BENCH_POSTGRES=1 (a fresh database on TEST_DATABASE_URL's server instead of SQLite),
// BENCH_CPU_PROF=dir (runs linkhook under node --cpu-prof, profile in dir),
// BENCH_PASSES (floor,burst,steady,slow,clicks: a comma list runs only those, in
// that order; e.g. BENCH_PASSES=clicks to profile the click pass alone),
// BENCH_RECORDS=dir (writes each pass's first receipts as <pass>.json, [event ms, arrival ms] pairs, to see when its tail happens).
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPostgresStorage } from '../src/adapters/storage/postgres/create-postgres-storage.ts';
import { createSqliteStorage } from '../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { EVENT_CATALOGUE } from '../src/domain/events/catalogue.ts';
import type { Storage } from '../src/domain/ports.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { createApiKey, parseScopes } from '../src/domain/workspaces/create-api-key.ts';
import { ensureWorkspace } from '../src/domain/workspaces/ensure-workspace.ts';
import type { FromReceiver, Receipt, ToReceiver } from './delivery-receiver.ts';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const K = num('BENCH_ENDPOINTS', 10);
const BURST = num('BENCH_BURST', 1000);
const RATE = num('BENCH_RATE', 120);
const SECONDS = num('BENCH_SECONDS', 10);
const CLICK_RATE = num('BENCH_CLICK_RATE', 500);
const TIMEOUT_MS = num('BENCH_TIMEOUT_MS', 2000);
const DRAIN_S = num('BENCH_DRAIN_S', 60);
const POSTGRES = process.env.BENCH_POSTGRES === '1';
const CPU_PROF = process.env.BENCH_CPU_PROF;
const RECORDS = process.env.BENCH_RECORDS;
const ALL_PASSES = ['floor', 'burst', 'steady', 'slow', 'clicks'] as const;
type PassName = (typeof ALL_PASSES)[number];
const PASSES = new Set<string>((process.env.BENCH_PASSES ?? ALL_PASSES.join(',')).split(',').map((p) => p.trim()));
for (const p of PASSES) if (!(ALL_PASSES as readonly string[]).includes(p)) throw new Error(`BENCH_PASSES: unknown pass ${p} (one of ${ALL_PASSES.join(', ')})`);
const runs = (p: PassName): boolean => PASSES.has(p);
/** The issue's "20% of endpoints timing out". */
const SLOW = Math.max(1, Math.round(K * 0.2));
const FLOOR_SECONDS = 3;
/** The worker's default LINKHOOK_WORKER_CONCURRENCY: the floor gets as many requests in flight. */
const FLOOR_IN_FLIGHT = 64;
const ROOT = new URL('../', import.meta.url).pathname;
const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number): number => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number));

/**
 * CPU microseconds a process has used (user + system, /proc/<pid>/stat, Linux;
 * NaN elsewhere). On a shared 2-core box deliveries/s swing with whatever else
 * runs; CPU per delivery barely does, so it is the steadier measure.
 */
function cpuMicros(pid: number | undefined): number {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return Number.NaN;
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, in 100 Hz ticks
}

// ---------------------------------------------------------------- receivers

interface Receivers {
  urls: string[];
  configure(secrets: string[], silent: boolean[]): void;
  count(): Promise<number>;
  collect(): Promise<Extract<FromReceiver, { type: 'records' }>>;
  stop(): void;
}

async function startReceivers(count: number): Promise<Receivers> {
  const child = fork(new URL('./delivery-receiver.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T extends FromReceiver['type']>(msg: ToReceiver, answer: T): Promise<Extract<FromReceiver, { type: T }>> =>
    new Promise((resolve) => {
      const on = (m: FromReceiver): void => {
        if (m.type !== answer) return;
        child.off('message', on);
        resolve(m as Extract<FromReceiver, { type: T }>);
      };
      child.on('message', on);
      child.send(msg);
    });
  const { urls } = await ask({ type: 'start', count }, 'ready');
  return {
    urls,
    configure: (secrets, silent) => void child.send({ type: 'configure', secrets, silent } satisfies ToReceiver),
    count: async () => (await ask({ type: 'count' }, 'count')).received,
    collect: () => ask({ type: 'collect' }, 'records'),
    stop: () => void child.kill('SIGTERM'),
  };
}

// ---------------------------------------------------------------- storage and server

interface Database {
  label: string;
  /** Environment for `linkhook serve`. */
  env: Record<string, string>;
  open(): Promise<Storage>;
  cleanup(): Promise<void>;
}

async function createDatabase(): Promise<Database> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linkhook-bench-delivery-'));
  if (!POSTGRES) {
    return {
      label: 'SQLite (WAL, synchronous=NORMAL)',
      env: { LINKHOOK_DATA_DIR: dataDir },
      open: () => createSqliteStorage({ file: join(dataDir, 'linkhook.db'), synchronous: 'NORMAL' }),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  // A database of its own, dropped at the end: the server uses its public schema.
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `linkhook_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL (${url.host}/${name})`,
    env: { LINKHOOK_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    open: () => createPostgresStorage({ url: url.toString() }),
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Migrates and mints an admin API key of the default workspace, before the server starts. */
async function seedKey(db: Database): Promise<string> {
  const storage = await db.open();
  try {
    await storage.migrate();
    const ws = await ensureWorkspace(storage, systemClock);
    return (await createApiKey(storage, systemClock, ws.id, 'bench', parseScopes(['admin']))).key;
  } finally {
    await storage.close();
  }
}

async function startLinkhook(db: Database): Promise<{ url: string; child: ChildProcess; exited: Promise<unknown> }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LINKHOOK_LOG_LEVEL: 'silent',
    // The receivers are on loopback, which the SSRF guard refuses unless an operator allows it.
    LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8',
    LINKHOOK_OUTBOUND_TIMEOUT_MS: String(TIMEOUT_MS),
    ...db.env,
  };
  if (!POSTGRES) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), join(ROOT, 'bin/linkhook.js'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1].replace('0.0.0.0', '127.0.0.1'));
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then(() => reject(new Error(`linkhook exited before listening:\n${out}`)));
  });
  child.stdout.resume();
  child.stderr.resume();
  // Interrupted (Ctrl-C, a timeout), the server must not outlive the bench.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      child.kill('SIGKILL');
      process.exit(130);
    });
  }
  return { url, child, exited };
}

// ---------------------------------------------------------------- API client

type Api = (method: string, path: string, body?: unknown) => Promise<any>;

function apiClient(base: string, key: string): Api {
  return async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
}

interface Endpoint {
  id: string;
  secret: string;
}

async function createEndpoints(api: Api, urls: string[], body: Record<string, unknown>): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  for (const url of urls) {
    const e = (await api('POST', '/endpoints', { kind: 'http', url, ...body })) as { id: string; secret: string };
    out.push({ id: e.id, secret: e.secret });
  }
  return out;
}

/**
 * `rate` links (one link.created each) per second for `seconds`, as a bulk
 * request every TICK_MS. One POST per link would make the client's and the
 * API's per-request cost the limit on a busy 2-core box (46 of 120 links/s
 * went out that way in a loaded window) and the offered delivery load would
 * silently fall short; a tick keeps it exact, and 100 ms ticks add at most
 * 100 ms of burstiness, a tenth of the latency target.
 */
const TICK_MS = 100;
async function pacedLinks(api: Api, tag: string, rate: number, seconds: number): Promise<{ linkIds: string[]; sentRate: number }> {
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const linkIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  let sent = 0;
  for (let i = 0; i < ticks; i++) {
    const wait = t0 + i * TICK_MS - performance.now();
    if (wait > 1) await sleep(wait);
    const n = Math.round(((i + 1) * rate * TICK_MS) / 1000) - sent;
    const links = Array.from({ length: n }, (_, j) => ({ url: `https://example.com/p/${tag}/${sent + j}`, tags: [tag] }));
    sent += n;
    const p = api('POST', '/links/bulk', { links }).then((r: { results: { link?: { id: string } }[] }) => {
      for (const row of r.results) if (row.link) linkIds.push(row.link.id);
    });
    const tracked: Promise<void> = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return { linkIds, sentRate: sent / ((performance.now() - t0) / 1000) };
}

/** `count` links in bulk requests of 100 (one transaction and one wake-up each), back to back. */
async function burstLinks(api: Api, tag: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 100) {
    const links = Array.from({ length: Math.min(100, count - i) }, (_, j) => ({ url: `https://example.com/b/${i + j}`, tags: [tag] }));
    const r = (await api('POST', '/links/bulk', { links })) as { results: { ok: boolean; link?: { id: string } }[] };
    for (const row of r.results) if (row.link) ids.push(row.link.id);
  }
  return ids;
}

// ---------------------------------------------------------------- analysis

interface PassResult {
  name: string;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** A link id seen under two webhook-ids, or a body id that is not the webhook-id. */
  bad: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Deliveries of the receivers `endpoints` (indices) for the events of `keys`
 * (link ids; for clicks, the webhook-ids themselves when keys is null).
 */
function analyse(name: string, records: Receipt[], endpoints: number[], keys: string[] | null, expectedPer?: number): PassResult {
  const latencies: number[] = [];
  const firsts: [number, number][] = [];
  let delivered = 0;
  let duplicates = 0;
  let bad = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let lost = 0;
  const wantedKeys = keys === null ? null : new Set(keys);
  for (const ep of endpoints) {
    const byKey = new Map<string, string>(); // link id (or webhook-id) → webhook-id
    for (const [index, webhookId, bodyId, linkId, eventMs, atMs] of records) {
      if (index !== ep) continue;
      if (bodyId !== webhookId) bad++;
      const key = keys === null ? webhookId : linkId;
      // A straggler of an earlier pass (collected now) is not this pass's.
      if (wantedKeys !== null && !wantedKeys.has(key)) continue;
      const seen = byKey.get(key);
      if (seen !== undefined) {
        if (seen === webhookId) duplicates++;
        else bad++;
        continue;
      }
      byKey.set(key, webhookId);
      delivered++;
      latencies.push(atMs - eventMs);
      firsts.push([eventMs, atMs]);
      first = Math.min(first, eventMs);
      last = Math.max(last, atMs);
    }
    if (keys !== null) lost += keys.filter((k) => !byKey.has(k)).length;
    else if (expectedPer !== undefined) lost += Math.max(0, expectedPer - byKey.size);
  }
  if (RECORDS) writeFileSync(join(RECORDS, `${name}.json`), JSON.stringify(firsts));
  latencies.sort((a, b) => a - b);
  const expected = keys === null ? (expectedPer ?? 0) * endpoints.length : keys.length * endpoints.length;
  return { name, expected, delivered, lost, duplicates, bad, rate: delivered / ((last - first) / 1000), p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1) ?? Number.NaN };
}

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
function report(r: PassResult): string {
  return `${r.name.padEnd(8)} ${String(r.delivered).padStart(6)}/${r.expected} delivered  ${Math.round(r.rate).toString().padStart(5)} deliveries/s  p50 ${fmtMs(r.p50).padStart(7)}  p99 ${fmtMs(r.p99).padStart(7)}  max ${fmtMs(r.max).padStart(7)}  lost ${r.lost}  dup ${r.duplicates}  bad ${r.bad}`;
}

/** Waits until the receivers hold `target` more deliveries than `base`, or nothing arrives for DRAIN_S. */
async function drain(rx: Receivers, target: number): Promise<void> {
  let lastCount = -1;
  let lastChange = Date.now();
  for (;;) {
    const n = await rx.count();
    if (n >= target) return;
    if (n !== lastCount) {
      lastCount = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > DRAIN_S * 1000) return;
    await sleep(100);
  }
}

// ---------------------------------------------------------------- floor

/** Plain signed POSTs (HMAC like linkhook's), FLOOR_IN_FLIGHT at once over keep-alive, round-robin over the receivers. */
async function floor(urls: string[]): Promise<{ rate: number; p50: number; p99: number; cpuUs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const key = Buffer.from('bench-floor-secret-32-bytes-long!!');
  const sample = EVENT_CATALOGUE['link.created'].sample;
  const latencies: number[] = [];
  const end = performance.now() + FLOOR_SECONDS * 1000;
  let n = 0;
  const one = (target: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = `evt_floor${n++}`;
      const body = JSON.stringify({ ...sample, id, timestamp: new Date().toISOString() });
      const ts = Math.floor(Date.now() / 1000);
      const signature = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
      const t = performance.now();
      const req = request(`${target}/floor`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t);
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: FLOOR_IN_FLIGHT }, async (_, lane) => {
      while (performance.now() < end) await one(urls[lane % urls.length] as string);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), cpuUs: (cpu.user + cpu.system) / latencies.length };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const db = await createDatabase();
  // Receivers: K for burst+steady, K for the slow pass (the last SLOW silent), 1 for clicks.
  const rx = await startReceivers(2 * K + 1);
  const setA = rx.urls.slice(0, K);
  const setB = rx.urls.slice(K, 2 * K);
  const clickUrl = rx.urls[2 * K] as string;
  const key = await seedKey(db);
  const lh = await startLinkhook(db);
  const api = apiClient(lh.url, key);
  const failures: string[] = [];
  console.log(`delivery bench: ${db.label}, ${K} http endpoints per pass, receivers in a child process, loopback`);
  console.log(`linkhook: ${lh.url} (linkhook serve, in-process worker, LINKHOOK_OUTBOUND_TIMEOUT_MS=${TIMEOUT_MS})\n`);

  try {
    const a = await createEndpoints(api, setA, { events: ['link.created'], filter: { tags: ['p1'] } });
    const b = await createEndpoints(api, setB, { events: ['link.created'], filter: { tags: ['p2'] } });
    const clickLink = (await api('POST', '/links', { url: 'https://example.com/landing', slug: 'clickbench' })) as { id: string };
    const [c] = await createEndpoints(api, [clickUrl], { events: ['link.clicked'], filter: { link_ids: [clickLink.id], include_test: true, include_bots: true } });
    const silent = rx.urls.map((_, i) => i >= 2 * K - SLOW && i < 2 * K);
    rx.configure([...a, ...b, c as Endpoint].map((e) => e.secret), silent);
    const idx = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
    let sigChecked = 0;
    const check = async (): Promise<Receipt[]> => {
      const got = await rx.collect();
      sigChecked += got.sig.checked;
      if (got.sig.failed > 0) failures.push(`${got.sig.failed} bad signatures: ${got.sig.failures.join('; ')}`);
      return got.records;
    };
    await check(); // nothing yet; resets the counters

    const results: PassResult[] = [];
    const targets: string[] = [];
    const pid = lh.child.pid;
    let fl: Awaited<ReturnType<typeof floor>> | undefined;
    if (runs('floor')) {
      fl = await floor(setA);
      console.log(`floor    ${Math.round(fl.rate).toString().padStart(6)} signed POSTs/s from one process, ${FLOOR_IN_FLIGHT} in flight  p50 ${fmtMs(fl.p50)}  p99 ${fmtMs(fl.p99)}  sender cpu ${fl.cpuUs.toFixed(0)} µs/POST`);
    }
    const ofFloor = (rate: number): string => (fl ? `${(rate / fl.rate).toFixed(2)} of the floor, ` : '');

    // Burst: the drain rate when the queue is full.
    if (runs('burst')) {
      const base = await rx.count();
      const cpu0 = cpuMicros(pid);
      const burstIds = await burstLinks(api, 'p1', BURST);
      await drain(rx, base + burstIds.length * K);
      const burst = analyse('burst', await check(), idx(0, K), burstIds);
      // linkhook CPU per delivery, including the API requests that created the events.
      const burstCpu = (cpuMicros(pid) - cpu0) / burst.delivered;
      console.log(`${report(burst)}   (${BURST} events at once; latency = queue wait)   ${ofFloor(burst.rate)}linkhook cpu ${burstCpu.toFixed(0)} µs/delivery`);
      results.push(burst);
      targets.push(`${Math.round(burst.rate)} deliveries/s burst (>= 1,000)`);
      console.log(`cpu      linkhook ${burstCpu.toFixed(0)} µs per delivery (burst) = ${Math.round(1e6 / burstCpu)} deliveries per CPU-second${fl ? `; the floor's sender ${fl.cpuUs.toFixed(0)} µs per POST` : ''}`);
    }

    // Steady: the offered load the target names, and its latency.
    let steadyP99: number | undefined;
    if (runs('steady')) {
      const base = await rx.count();
      const cpu0 = cpuMicros(pid);
      const steadyLinks = await pacedLinks(api, 'p1', RATE, SECONDS);
      await drain(rx, base + steadyLinks.linkIds.length * K);
      const steady = analyse('steady', await check(), idx(0, K), steadyLinks.linkIds);
      const steadyCpu = (cpuMicros(pid) - cpu0) / steady.delivered;
      console.log(`${report(steady)}   (${RATE} events/s offered, ${steadyLinks.sentRate.toFixed(0)}/s acknowledged by the API)   ${ofFloor(steady.rate)}linkhook cpu ${steadyCpu.toFixed(0)} µs/delivery`);
      results.push(steady);
      steadyP99 = steady.p99;
      targets.push(`steady p99 ${fmtMs(steady.p99)} (< 1 s)`);
    }

    // Slow: the same load, 20% of the endpoints never answer.
    if (runs('slow')) {
      const base = await rx.count();
      const slowLinks = await pacedLinks(api, 'p2', RATE, SECONDS);
      await drain(rx, base + slowLinks.linkIds.length * (K - SLOW));
      const slow = analyse('slow', await check(), idx(K, K - SLOW), slowLinks.linkIds);
      const ratio = steadyP99 === undefined ? '' : `   p99 ${(slow.p99 / steadyP99).toFixed(2)}x steady`;
      console.log(`${report(slow)}   (healthy ${K - SLOW} of ${K}; ${SLOW} silent; ${slowLinks.sentRate.toFixed(0)} events/s acknowledged)${ratio}`);
      results.push(slow);
      targets.push(steadyP99 === undefined ? `slow p99 ${fmtMs(slow.p99)}` : `slow/steady p99 ${(slow.p99 / steadyP99).toFixed(2)}x (<= 2x)`);
      // The silent endpoints' retries would load the click pass: switch them off (their queue is skipped).
      for (const e of b.slice(K - SLOW)) await api('PATCH', `/endpoints/${e.id}`, { enabled: false });
      await sleep(TIMEOUT_MS + 500); // in-flight requests to them time out
    }

    // Clicks: redirects at a fixed rate on a link with a link.clicked subscription.
    if (runs('clicks')) {
      const base = await rx.count();
      // 64 connections so the rate cap, not one request in flight per connection, sets the pace when redirects slow down.
      const clicks = await autocannon({ url: `${lh.url}/clickbench`, connections: 64, duration: SECONDS, overallRate: CLICK_RATE, headers: { 'user-agent': USER_AGENT } });
      const redirects = clicks['3xx'];
      await drain(rx, base + redirects);
      const clickRecords = (await check()).filter((r) => r[0] === 2 * K);
      const click = analyse('clicks', clickRecords, [2 * K], null, redirects);
      console.log(`${report(click)}   (${(clicks.requests.total / SECONDS).toFixed(0)} redirects/s, redirect p50/p99 ${clicks.latency.p50}/${clicks.latency.p99} ms; received ${click.delivered} events for ${redirects} redirects answered)`);
      results.push(click);
      targets.push(`click p99 ${fmtMs(click.p99)} (< 1 s)`);
    }

    for (const r of results) {
      if (r.lost > 0) failures.push(`${r.name}: ${r.lost} deliveries not received within ${DRAIN_S} s of the last arrival`);
      if (r.bad > 0) failures.push(`${r.name}: ${r.bad} deliveries under a second webhook-id or with a body id other than the webhook-id`);
    }
    console.log(`\nsignatures  every delivery carried a v1 signature; ${sigChecked} sampled and verified with standardwebhooks`);
    console.log(`targets     ${targets.join('  ')}`);
  } finally {
    lh.child.kill('SIGTERM');
    await lh.exited;
    rx.stop();
    await db.cleanup();
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`FAIL ${f}`);
    process.exitCode = 1;
  } else console.log('every event reached every healthy endpoint of its pass; repeats only under the same webhook-id');
}

await main();
