import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Requests Fastify rejects before any route runs (bad percent-encoding, a path
// segment over 100 characters) still get our answers: the API's JSON error
// shape on the API, the visitor's 404 page on a short domain.
describe('malformed URLs', () => {
  let lh: TestLinkhook;
  before(async () => {
    lh = await startLinkhook();
  });
  after(() => lh.close());

  it('answers a visitor with the 404 page', async () => {
    for (const path of [`/${'a'.repeat(150)}`, '/%E0%A4%A']) {
      const res = await fetch(lh.url + path, { redirect: 'manual' });
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /Link not found/);
    }
  });

  it('answers the API with a catalogued JSON error', async () => {
    const res = await lh.api('GET', `/api/v1/links/${'x'.repeat(150)}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'bad_request');
  });
});
