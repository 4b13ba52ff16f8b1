import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config.ts';

describe('config', () => {
  it('has defaults for a bare start', () => {
    const c = loadConfig({}, '/srv/lh');
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, '/srv/lh/data');
    assert.equal(c.baseUrl, 'http://localhost:8080');
    assert.equal(c.defaultHost, 'localhost');
    assert.equal(c.databaseUrl, undefined);
    assert.ok(Object.isFrozen(c));
  });

  it('derives the default host from LINKHOOK_BASE_URL and PORT', () => {
    assert.equal(loadConfig({ PORT: '9000' }).baseUrl, 'http://localhost:9000');
    const c = loadConfig({ LINKHOOK_BASE_URL: 'https://go.example.com/' });
    assert.equal(c.baseUrl, 'https://go.example.com');
    assert.equal(c.defaultHost, 'go.example.com');
  });

  it('parses lists and booleans', () => {
    const c = loadConfig({ LINKHOOK_TEST_IP_RANGES: '10.0.0.0/8, 192.168.1.1/32', LINKHOOK_TRUST_PROXY: 'true' });
    assert.deepEqual(c.testIpRanges, ['10.0.0.0/8', '192.168.1.1/32']);
    assert.equal(c.trustProxy, true);
  });

  it('names every bad variable', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /PORT/);
      assert.match(err.message, /DATABASE_URL/);
      return true;
    });
  });

  it('documents every variable in docs/config.md', () => {
    const doc = readFileSync(new URL('../docs/config.md', import.meta.url), 'utf8');
    const src = readFileSync(new URL('../src/config/config.ts', import.meta.url), 'utf8');
    const vars = [...src.matchAll(/^\s+([A-Z][A-Z_]+): z\./gm)].map((m) => m[1] as string);
    assert.ok(vars.length > 10);
    for (const v of vars) assert.ok(doc.includes(`\`${v}\``), `${v} is documented in docs/config.md`);
  });
});
