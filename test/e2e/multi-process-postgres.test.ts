import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { runCli, startServer } from '../helpers/run-cli.ts';

const BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Two server processes over one PostgreSQL: what users do when they outgrow a
// single process. A change made through one must be served by the other at
// once (LISTEN/NOTIFY drops its cached link), not after a cache TTL.
describe('several server processes sharing one PostgreSQL', () => {
  const schema = `t_mp_${randomBytes(4).toString('hex')}`;
  const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let admin: pg.Client;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let key: string;

  before(async () => {
    admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    // Both start at once: migrations must be safe to race.
    [a, b] = await Promise.all([startServer({ DATABASE_URL: url }), startServer({ DATABASE_URL: url })]);
    const r = await runCli(['keys', 'create', '--name', 'mp'], { DATABASE_URL: url });
    assert.equal(r.code, 0, r.stderr);
    key = r.stdout.trimEnd().split('\n').at(-1) as string;
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  const call = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('serves a link created on A from B, and B sees A’s change at once', async () => {
    const created = await call(a.url, 'POST', '/api/v1/links', { url: 'https://example.com/v1', slug: 'shared' });
    assert.equal(created.status, 201);
    const first = await fetch(`${b.url}/shared`, { redirect: 'manual' });
    assert.equal(first.headers.get('location'), 'https://example.com/v1');

    const patched = await call(a.url, 'PATCH', `/api/v1/links/${created.body.id as string}`, { url: 'https://example.com/v2' });
    assert.equal(patched.status, 200);
    // NOTIFY is asynchronous: give B a moment, far below the 60 s cache TTL.
    let location: string | null = null;
    for (let i = 0; i < 50 && location !== 'https://example.com/v2'; i++) {
      location = (await fetch(`${b.url}/shared`, { redirect: 'manual' })).headers.get('location');
      if (location !== 'https://example.com/v2') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(location, 'https://example.com/v2');

    const stats = await call(a.url, 'GET', `/api/v1/links/${created.body.id as string}/stats`);
    assert.equal(stats.status, 200);
    assert.equal((stats.body.clicks as number) + (stats.body.bots as number), 2, 'clicks served by B are counted on A');
  });
});
