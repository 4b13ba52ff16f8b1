import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Bad input gets a 422 naming the field — never a 500, never a stored link.

describe('link input validation', () => {
  let t: TestLinkhook;
  before(async () => {
    t = await startLinkhook();
  });
  after(async () => {
    await t.close();
  });

  async function expect422(body: unknown, field: string): Promise<void> {
    const res = await t.api('POST', '/api/v1/links', body);
    assert.equal(res.status, 422, `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'validation_failed');
    const fields = res.body.error.details.fields as { field: string; message: string }[];
    assert.ok(Array.isArray(fields) && fields.length > 0);
    assert.ok(
      fields.some((f) => f.field === field || f.field.startsWith(`${field}.`) || f.field.split(',').includes(field)),
      `expected a problem on ${field}, got ${JSON.stringify(fields)}`,
    );
    assert.equal(typeof res.body.error.message, 'string');
  }

  it('refuses non-http(s) schemes', async () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.com/', 'vbscript:msgbox', '//example.com/x', '/relative']) {
      await expect422({ url }, 'url');
    }
    await expect422({ url: 'https://example.com/', expired_url: 'javascript:alert(1)', expires_at: '2099-01-01T00:00:00Z' }, 'expired_url');
    await expect422({ url: 'https://example.com/', scheduled_changes: [{ at: '2099-01-01T00:00:00Z', url: 'data:,x' }] }, 'scheduled_changes');
  });

  it('refuses CR, LF and other control characters in url and text fields', async () => {
    for (const url of ['https://example.com/\r\nSet-Cookie: a=b', 'https://example.com/\n', 'https://exa\u0000mple.com/', 'https://example.com/\u0085']) {
      await expect422({ url }, 'url');
    }
    await expect422({ url: 'https://example.com/', title: 'Hello\r\nX-Injected: 1' }, 'title');
    await expect422({ url: 'https://example.com/', tags: ['ok', 'bad\ttag'] }, 'tags');
    await expect422({ url: 'https://example.com/', metadata: { k: 'v\n' } }, 'metadata');
    await expect422({ url: 'https://example.com/', utm: { source: 'a\rb' } }, 'utm');
  });

  it('refuses an overlong URL', async () => {
    await expect422({ url: `https://example.com/${'a'.repeat(2100)}` }, 'url');
  });

  it('normalises an IDN host to punycode', async () => {
    const res = await t.api('POST', '/api/v1/links', { url: 'https://bücher.example/straße?q=ü' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const u = new URL(res.body.url);
    assert.equal(u.hostname, 'xn--bcher-kva.example');
    assert.match(res.body.url, /^https:\/\/xn--bcher-kva\.example\/stra%C3%9Fe\?q=/);
    assert.match(res.body.destination_url, /^https:\/\/xn--bcher-kva\.example\//);
  });

  it('refuses unknown fields and wrong types', async () => {
    await expect422({ url: 'https://example.com/', surprise: 1 }, 'surprise');
    await expect422({ url: 'https://example.com/', redirect_type: 303 }, 'redirect_type');
    await expect422({ url: 'https://example.com/', redirect_type: '301' }, 'redirect_type');
    await expect422({ url: 'https://example.com/', tags: 'one' }, 'tags');
    await expect422({ url: 'https://example.com/', is_test: 'yes' }, 'is_test');
    await expect422({ url: 'https://example.com/', priority: 'urgent' }, 'priority');
    await expect422({ url: 'https://example.com/', expires_at: 'tomorrow' }, 'expires_at');
    await expect422({ url: 'https://example.com/', metadata: { n: 1 } }, 'metadata');
    await expect422({ url: 'https://example.com/', utm: { source: 'a', gclid: 'x' } }, 'utm');
    await expect422({ url: 42 }, 'url');
    await expect422({}, 'url');
    await expect422({ url: 'https://example.com/', expired_url: 'https://example.com/x' }, 'expired_url');
  });

  it('refuses reserved and malformed slugs', async () => {
    for (const slug of ['api', 'healthz', 'metrics', 'API', 'has space', 'a/b', '-lead', 'x'.repeat(101), '']) {
      await expect422({ url: 'https://example.com/', slug }, 'slug');
    }
  });

  it('refuses a body that is not an object', async () => {
    for (const body of [[], 'text', 42, null]) {
      const res = await t.api('POST', '/api/v1/links', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
    }
  });

  it('refuses a domain that is not a verified domain of the workspace', async () => {
    const res = await t.api('POST', '/api/v1/links', { url: 'https://example.com/', domain: 'go.not-mine.example' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'domain_not_verified');
  });

  it('stored nothing for any refused request', async () => {
    const list = await t.api('GET', '/api/v1/links?limit=100');
    assert.equal(list.body.data.length, 1, 'only the IDN link was created');
  });
});
