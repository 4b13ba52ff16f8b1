import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer } from '../helpers/run-cli.ts';

describe('linkhook CLI on a fresh data dir', () => {
  let dir: string;
  let env: Record<string, string>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'linkhook-cli-'));
    env = { LINKHOOK_DATA_DIR: join(dir, 'data') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate creates the database', async () => {
    const r = await runCli(['migrate'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Migrations applied \(sqlite\)/);
  });

  it('keys create prints the key alone on the last line, and the key works', async () => {
    const r = await runCli(['keys', 'create', '--name', 'ci', '--workspace', 'acme', '--scopes', 'links:read', 'links:write'], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const key = lines.at(-1) as string;
    assert.match(key, /^lh_[A-Za-z0-9_-]{32}$/);
    assert.match(r.stdout, /workspace acme/);

    const server = await startServer(env);
    try {
      const created = await fetch(`${server.url}/api/v1/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://example.com/cli', slug: 'from-cli' }),
      });
      assert.equal(created.status, 201);
      const redirect = await fetch(`${server.url}/from-cli`, { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers.get('location'), 'https://example.com/cli');
      // The key is scoped: no analytics:read.
      const body = (await created.json()) as { id: string };
      const stats = await fetch(`${server.url}/api/v1/links/${body.id}/stats`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(stats.status, 403);
    } finally {
      await server.stop();
    }
  });

  it('keys create refuses an unknown scope with a clear message', async () => {
    const r = await runCli(['keys', 'create', '--name', 'x', '--scopes', 'links:destroy'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown scope\(s\) links:destroy/);
  });

  it('links import creates good rows, reports bad ones per row', async () => {
    const csv = join(dir, 'links.csv');
    writeFileSync(
      csv,
      [
        'long_url,custom_bitlinks,title,tags',
        'https://example.com/one,bit.ly/imp-one,One,a',
        'javascript:alert(1),,Bad,',
        'https://example.com/two,imp-one,Dup,b',
        'https://example.com/three,,Three,"c,d"',
      ].join('\n'),
    );
    const r = await runCli(['links', 'import', csv], env);
    assert.equal(r.code, 1, 'exit 1 when some rows failed');
    assert.match(r.stdout, /Imported 4 rows .*: 2 created, 2 failed/);
    const report = readFileSync(`${csv}.report.csv`, 'utf8').trim().split('\n');
    assert.equal(report.length, 5);
    assert.match(report[1] as string, /^2,created,lnk_/);
    assert.match(report[2] as string, /^3,failed,,,validation_failed,/);
    assert.match(report[3] as string, /^4,failed,,,slug_taken,/);
    assert.match(report[4] as string, /^5,created,lnk_/);
  });

  it('an invalid setting stops the start with the variable named', async () => {
    const r = await runCli(['migrate'], { ...env, PORT: 'eighty' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PORT/);
  });
});
