import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

describe('/healthz and /metrics', () => {
  let t: TestLinkhook;
  before(async () => {
    t = await startLinkhook();
  });
  after(async () => {
    await t.close();
  });

  it('/healthz answers ok with the storage dialect, without a key', async () => {
    const res = await fetch(`${t.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', storage: 'sqlite' });
  });

  it('/metrics is Prometheus text with linkhook_ metrics, API requests counted by route pattern', async () => {
    const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/' });
    await t.api('GET', `/api/v1/links/${created.body.id}`);
    await t.api('GET', '/api/v1/nope');
    const res = await fetch(`${t.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# TYPE linkhook_api_requests_total counter$/m);
    assert.match(text, /linkhook_api_requests_total\{method="POST",route="\/api\/v1\/links",status="201"\} 1/);
    assert.match(text, /linkhook_api_requests_total\{method="GET",route="\/api\/v1\/links\/:id",status="200"\} 1/);
    assert.match(text, /linkhook_api_requests_total\{method="GET",route="not_found",status="404"\} 1/);
    assert.doesNotMatch(text, /lnk_/, 'no raw ids in labels');
    assert.match(text, /^linkhook_process_cpu_seconds_total /m);
  });

  it('/healthz answers 503 and the API a 500 with a request id when the database is gone', async () => {
    const t2 = await startLinkhook();
    try {
      await t2.lh.storage.close();
      const res = await fetch(`${t2.url}/healthz`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'service_unavailable');
      // The API itself, with its database gone: an unexpected failure is a
      // logged 500 carrying the request id, in the same error shape.
      const api = await t2.api('GET', '/api/v1/links');
      assert.equal(api.status, 500);
      assert.equal(api.body.error.code, 'internal_error');
      assert.equal(typeof api.body.error.details.request_id, 'string');
      assert.doesNotMatch(api.body.error.message, /sqlite|database|closed/i, 'no internals leak');
    } finally {
      // Closing storage a second time may throw; the temp files still go.
      await t2.close().catch(() => undefined);
    }
  });
});
