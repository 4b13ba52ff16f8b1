import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Authentication, scopes and the framework-level errors (JSON, media type,
// size, unknown routes): each answers the one error shape with a catalogue code.

describe('API auth and error shape', () => {
  let t: TestLinkhook;
  before(async () => {
    t = await startLinkhook();
  });
  after(async () => {
    await t.close();
  });

  const raw = (path: string, init: RequestInit = {}) => fetch(t.url + path, init);

  function assertError(body: unknown, code: string): void {
    const b = body as { error: { code: string; message: string; details: unknown } };
    assert.equal(b.error.code, code);
    assert.equal(typeof b.error.message, 'string');
    assert.equal(typeof b.error.details, 'object');
    assert.notEqual(b.error.details, null);
  }

  it('401 without a key, with a malformed header, an unknown key or a revoked key', async () => {
    const none = await raw('/api/v1/links');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assertError(await none.json(), 'unauthorized');
    for (const header of ['Basic abc', 'Bearer', 'Bearer lh_unknownkeyunknownkeyunknownkey', 'Bearer not-ours', `Token ${t.key}`]) {
      const res = await raw('/api/v1/links', { headers: { authorization: header } });
      assert.equal(res.status, 401, header);
      assertError(await res.json(), 'unauthorized');
    }
    // A revoked key: the row stays (for audit) with revokedAt set.
    const revoked = 'lh_revokedrevokedrevokedrevokedrevoked';
    const ws = await t.lh.storage.workspaces.getBySlug('default');
    assert.ok(ws);
    await t.lh.storage.transaction((tx) =>
      tx.apiKeys.insert({
        id: 'key_01revoked0000000000000000',
        workspaceId: ws.id,
        name: 'old',
        prefix: revoked.slice(0, 8),
        hash: createHash('sha256').update(revoked).digest('hex'),
        scopes: ['admin'],
        createdAt: new Date().toISOString(),
        revokedAt: new Date().toISOString(),
      }),
    );
    const res = await t.api('GET', '/api/v1/links', undefined, revoked);
    assert.equal(res.status, 401);
    assertError(res.body, 'unauthorized');
  });

  it('401 comes before body parsing: a bad body without a key is still 401', async () => {
    const res = await raw('/api/v1/links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    assert.equal(res.status, 401);
  });

  it('403 with the required scope when the key lacks it', async () => {
    const readOnly = await t.newKey({ scopes: ['links:read'] });
    const res = await t.api('POST', '/api/v1/links', { url: 'https://example.com/' }, readOnly);
    assert.equal(res.status, 403);
    assertError(res.body, 'forbidden');
    assert.equal(res.body.error.details.required_scope, 'links:write');
    assert.equal((await t.api('GET', '/api/v1/links', undefined, readOnly)).status, 200);
    const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/' });
    const stats = await t.api('GET', `/api/v1/links/${created.body.id}/stats`, undefined, readOnly);
    assert.equal(stats.status, 403);
    assert.equal(stats.body.error.details.required_scope, 'analytics:read');
    const domains = await t.api('POST', '/api/v1/domains', { hostname: 'go.example.com' }, readOnly);
    assert.equal(domains.status, 403);
    assert.equal(domains.body.error.details.required_scope, 'domains:write');
    assert.equal((await t.api('GET', '/api/v1/domains', undefined, readOnly)).status, 403);
    const writer = await t.newKey({ scopes: ['links:write'] });
    assert.equal((await t.api('POST', '/api/v1/links', { url: 'https://example.com/' }, writer)).status, 201);
    assert.equal((await t.api('GET', '/api/v1/links', undefined, writer)).status, 403);
  });

  it('400 invalid_json for a malformed body, and for a __proto__ key', async () => {
    for (const body of ['{"url": ', '{url: "x"}', '{"__proto__": {"x": 1}, "url": "https://e.example/"}']) {
      const res = await raw('/api/v1/links', { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      assertError(await res.json(), 'invalid_json');
    }
  });

  it('415 for a body that is not JSON, or has no content type', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {}] as Record<string, string>[]) {
      const res = await raw('/api/v1/links', { method: 'POST', headers: { authorization: `Bearer ${t.key}`, ...headers }, body: 'url=https://example.com/' });
      assert.equal(res.status, 415, JSON.stringify(headers));
      assertError(await res.json(), 'unsupported_media_type');
    }
  });

  it('413 for a body over the limit', async () => {
    const body = JSON.stringify({ url: 'https://example.com/', title: 'x'.repeat(2 * 1024 * 1024) });
    const res = await raw('/api/v1/links', { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body });
    assert.equal(res.status, 413);
    const parsed = (await res.json()) as { error: { details: { limit_bytes: number } } };
    assertError(parsed, 'payload_too_large');
    assert.equal(parsed.error.details.limit_bytes, 1024 * 1024);
  });

  it('404 route_not_found for unknown API routes and methods, with or without a key', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['GET', '/api/v2/links'],
      ['PUT', '/api/v1/links/lnk_x'],
      ['GET', '/api/v1/links/lnk_x/nope'],
      ['POST', '/api/v1/links/lnk_x'],
    ] as const) {
      const res = await t.api(method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      assertError(res.body, 'route_not_found');
    }
    const anon = await raw('/api/v1/nope');
    assert.equal(anon.status, 404);
    assertError(await anon.json(), 'route_not_found');
  });

  it('404 not_found for an unknown id', async () => {
    const res = await t.api('GET', '/api/v1/links/lnk_00000000000000000000000000');
    assert.equal(res.status, 404);
    assertError(res.body, 'not_found');
  });

  it('an empty JSON body is "no body", not a parse error', async () => {
    const res = await raw('/api/v1/links', { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: '' });
    assert.equal(res.status, 422);
    assertError(await res.json(), 'validation_failed');
  });
});
