import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { clickIdFloor } from '../../src/adapters/storage/sql/analytics-rollup.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { openStorage } from '../../src/entrypoints/create-linkhook.ts';
import { runCli, startCliProcess, startServer, type CliProcess } from '../helpers/run-cli.ts';
import { makeClick, makeLink } from '../storage/fixtures.ts';

// Servers with LINKHOOK_WORKER=false and separate `linkhook worker`
// processes over one PostgreSQL: the workers fold the analytics rollups, one
// at a time (the fold lease), and when the folding one stops the other takes
// over without counting a click twice.

const BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;

/** Starts `linkhook worker` and resolves once it prints that it runs. */
function startWorker(env: Record<string, string>): Promise<CliProcess> {
  return startCliProcess(['worker'], env, /linkhook worker /);
}

describe('analytics rollups folded by `linkhook worker` processes over PostgreSQL', () => {
  const schema = `t_wr_${randomBytes(4).toString('hex')}`;
  const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let admin: pg.Client;
  let storage: Storage;
  let server: Awaited<ReturnType<typeof startServer>>;
  let workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  let key: string;
  let link: Link;
  // Yesterday and the day before (UTC), so the clicks are long settled and the default 30-day range holds them.
  const today = Math.floor(Date.now() / DAY) * DAY;
  let n = 0;
  /**
   * `count` clicks on `day`, ids minted at their own time (a ULID-shaped id,
   * unique by the counter). The visitor hashes repeat across days, which real
   * ones (salted per UTC day) never do: so the rollups' visitors (the sum of
   * daily distinct counts) differ from a raw count over the range, and the
   * API's answer shows which one the server used.
   */
  const clicksOn = (day: number, count: number, visitors: number) =>
    Array.from({ length: count }, (_, i) => {
      const ms = day + 3_600_000 + i * 1000;
      return makeClick(link, { id: clickIdFloor(ms) + String(n++).padStart(16, '0'), ts: new Date(ms).toISOString(), visitorHash: `v${i % visitors}` });
    });

  before(async () => {
    admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    server = await startServer({ DATABASE_URL: url, LINKHOOK_WORKER: 'false' });
    const r = await runCli(['keys', 'create', '--name', 'wr'], { DATABASE_URL: url });
    assert.equal(r.code, 0, r.stderr);
    key = r.stdout.trimEnd().split('\n').at(-1) as string;
    storage = await openStorage(loadConfig({ DATABASE_URL: url, LINKHOOK_LOG_LEVEL: 'silent' }));
    const ws = (await admin.query<{ id: string }>(`select id from ${schema}.workspaces limit 1`)).rows[0];
    assert.ok(ws);
    link = makeLink(ws.id);
    await storage.links.insert(link);
  });

  after(async () => {
    await Promise.all([server?.stop(), ...workers.map((w) => w.stop())]);
    await storage?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  const state = async () =>
    (await admin.query<{ click_id: string; lease_owner: string | null }>(`select click_id, lease_owner from ${schema}.analytics_rollup_state where name = 'clicks'`)).rows[0];

  /** Waits until the rollup cursor reaches `id` (the workers idle-poll every second). */
  const foldedTo = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const s = await state();
      if (s && s.click_id >= id) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`rollup cursor did not reach ${id}: ${JSON.stringify(await state())}`);
  };

  const analytics = async (query: string) => {
    const res = await fetch(`${server.url}/api/v1/analytics?${query}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { data: { key: string | null; clicks: number; visitors: number }[] }).data;
  };

  it('one worker holds the lease and folds; the server answers from the rollups', async () => {
    const first = clicksOn(today - 2 * DAY, 40, 10);
    await storage.clicks.insertMany(first);
    // Nobody folds yet: the server runs no rollup worker.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await state())?.click_id, '');

    workers = await Promise.all([startWorker({ DATABASE_URL: url }), startWorker({ DATABASE_URL: url })]);
    const s = await foldedTo(first.at(-1)?.id as string);
    const pids = workers.map((w) => w.child.pid);
    const holder = Number(s.lease_owner?.split(':')[1]);
    assert.ok(pids.includes(holder), `lease held by a worker: ${s.lease_owner} (workers ${pids.join(', ')})`);

    const totals = await admin.query<{ clicks: string; visitors: string }>(`select clicks, visitors from ${schema}.analytics_running where dim = 'all' order by day desc limit 1`);
    assert.deepEqual(totals.rows[0], { clicks: '40', visitors: '10' });
    assert.deepEqual(await analytics('group_by=link'), [{ key: link.id, clicks: 40, visitors: 10 }]);
  });

  it('when the folding worker stops, the other takes over and counts every click once', async () => {
    const holderPid = Number((await state())?.lease_owner?.split(':')[1]);
    const holder = workers.find((w) => w.child.pid === holderPid);
    assert.ok(holder);
    await holder.stop(); // graceful: gives the lease back
    workers = workers.filter((w) => w !== holder);

    const second = clicksOn(today - DAY, 25, 5);
    await storage.clicks.insertMany(second);
    const s = await foldedTo(second.at(-1)?.id as string);
    assert.equal(Number(s.lease_owner?.split(':')[1]), workers[0]?.child.pid);

    // 10 + 5 daily visitors from the rollups; raw clicks would say 10 (v0-v4 also visited on the first day).
    assert.deepEqual(await analytics('group_by=link'), [{ key: link.id, clicks: 65, visitors: 15 }]);
    const days = (await analytics('interval=day')).filter((d) => d.clicks > 0).map((d) => [d.key?.slice(0, 10), d.clicks, d.visitors]);
    assert.deepEqual(days, [
      [new Date(today - 2 * DAY).toISOString().slice(0, 10), 40, 10],
      [new Date(today - DAY).toISOString().slice(0, 10), 25, 5],
    ]);
    const rows = await admin.query<{ day: string; clicks: string }>(`select day, clicks from ${schema}.analytics_running where dim = 'link' order by day`);
    assert.deepEqual(rows.rows.map((r) => Number(r.clicks)), [40, 65], 'running totals: 40, then 40 + 25');
  });
});
