import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createDnsResolver } from '../../src/adapters/dns/create-dns-resolver.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Custom domains end to end: add → DNS record published on a real loopback
// DNS server → verify through node's resolver → links on the domain.

describe('custom domains', () => {
  let dns: DnsServer;
  let t: TestLinkhook;
  before(async () => {
    dns = await startDnsServer({});
    t = await startLinkhook({
      dns: createDnsResolver([dns.address], { timeoutMs: 2000 }),
      env: { LINKHOOK_BASE_URL: 'https://lnk.example', LINKHOOK_CNAME_TARGET: 'cname.lnk.example' },
    });
  });
  after(async () => {
    await t.close();
    await dns.close();
  });

  it('adds a domain as pending with its token and DNS instructions', async () => {
    const res = await t.api('POST', '/api/v1/domains', { hostname: 'Go.Brand.Example', fallback_url: 'https://brand.example/' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const d = res.body;
    assert.match(d.id, /^dom_/);
    assert.equal(d.hostname, 'go.brand.example');
    assert.equal(d.status, 'pending');
    assert.equal(d.fallback_url, 'https://brand.example/');
    assert.match(d.verification_token, /^[0-9A-Za-z]{32}$/);
    assert.deepEqual(d.verification.txt, { type: 'TXT', name: '_linkhook.go.brand.example', value: `linkhook-verify=${d.verification_token}` });
    assert.deepEqual(d.verification.cname, { type: 'CNAME', name: 'go.brand.example', value: 'cname.lnk.example' });
    assert.match(d.instructions, /_linkhook\.go\.brand\.example/);
    assert.match(d.instructions, /cname\.lnk\.example/);
    assert.equal(d.last_check_message, null);

    const dup = await t.api('POST', '/api/v1/domains', { hostname: 'go.brand.example' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'domain_taken');
  });

  it('normalises IDN hostnames and refuses IPs, localhost, bare TLDs and the default host', async () => {
    const idn = await t.api('POST', '/api/v1/domains', { hostname: 'bücher.example' });
    assert.equal(idn.status, 201);
    assert.equal(idn.body.hostname, 'xn--bcher-kva.example');
    for (const hostname of ['127.0.0.1', '10.0.0.1', '0x7f.1', '[::1]', '::1', 'localhost', 'a.localhost', 'com', 'lnk.example', 'https://go.example.com', 'go.example.com:8080', 'go.example.com/path', 'bad_label.example', '-x.example', 'x'.repeat(64) + '.example', '', 42]) {
      const res = await t.api('POST', '/api/v1/domains', { hostname });
      assert.equal(res.status, 422, `${String(hostname)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.equal(res.body.error.details.fields[0].field, 'hostname');
    }
    for (const body of [{ hostname: 'ok.example', fallback_url: 'javascript:x' }, { hostname: 'ok.example', extra: 1 }, {}]) {
      assert.equal((await t.api('POST', '/api/v1/domains', body)).status, 422, JSON.stringify(body));
    }
  });

  it('verify: wrong TXT → failed with what was found and expected; right TXT → verified', async () => {
    const d = (await t.api('POST', '/api/v1/domains', { hostname: 'links.shop.example' })).body;
    dns.set({ txt: { '_linkhook.links.shop.example': ['linkhook-verify=wrong-token', 'v=spf1 -all'] } });
    const failed = await t.api('POST', `/api/v1/domains/${d.id}/verify`);
    assert.equal(failed.status, 200, JSON.stringify(failed.body));
    assert.equal(failed.body.status, 'failed');
    assert.match(failed.body.last_check_message, /Not verified/);
    assert.match(failed.body.last_check_message, /linkhook-verify=wrong-token/, 'says what it found');
    assert.ok(failed.body.last_check_message.includes(`linkhook-verify=${d.verification_token}`), 'says what it expected');
    assert.ok(failed.body.last_checked_at);
    assert.equal(failed.body.verified_at, null);

    // A link cannot use a domain that is not verified.
    const early = await t.api('POST', '/api/v1/links', { url: 'https://example.com/', domain: 'links.shop.example' });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'domain_not_verified');

    dns.set({ txt: { '_linkhook.links.shop.example': ['v=spf1 -all', `linkhook-verify=${d.verification_token}`] } });
    const ok = await t.api('POST', `/api/v1/domains/${d.id}/verify`);
    assert.equal(ok.body.status, 'verified', ok.body.last_check_message);
    assert.match(ok.body.last_check_message, /^Verified/);
    assert.ok(ok.body.verified_at);
    assert.equal(ok.body.instructions, null);

    const link = await t.api('POST', '/api/v1/links', { url: 'https://example.com/', domain: 'links.shop.example', slug: 'sale' });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    assert.equal(link.body.domain, 'links.shop.example');
    assert.equal(link.body.short_url, 'https://links.shop.example/sale');
    const filtered = await t.api('GET', '/api/v1/links?domain=links.shop.example');
    assert.deepEqual(filtered.body.data.map((l: { id: string }) => l.id), [link.body.id]);

    // A domain with links cannot be deleted until they are gone.
    const busy = await t.api('DELETE', `/api/v1/domains/${d.id}`);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'domain_in_use');
    assert.equal((await t.api('DELETE', `/api/v1/links/${link.body.id}`)).status, 204);
    assert.equal((await t.api('DELETE', `/api/v1/domains/${d.id}`)).status, 204);
    assert.equal((await t.api('GET', `/api/v1/domains/${d.id}`)).status, 404);
  });

  it('verify by CNAME to the configured target', async () => {
    const d = (await t.api('POST', '/api/v1/domains', { hostname: 'c.brand2.example' })).body;
    dns.set({ cname: { 'c.brand2.example': 'elsewhere.example' } });
    const failed = await t.api('POST', `/api/v1/domains/${d.id}/verify`);
    assert.equal(failed.body.status, 'failed');
    assert.match(failed.body.last_check_message, /elsewhere\.example/);
    assert.match(failed.body.last_check_message, /cname\.lnk\.example/);
    dns.set({ cname: { 'c.brand2.example': 'CNAME.lnk.example.' } });
    const ok = await t.api('POST', `/api/v1/domains/${d.id}/verify`);
    assert.equal(ok.body.status, 'verified', ok.body.last_check_message);
  });

  it('verify with no record at all says so', async () => {
    const d = (await t.api('POST', '/api/v1/domains', { hostname: 'nothing.example' })).body;
    dns.set({});
    const res = await t.api('POST', `/api/v1/domains/${d.id}/verify`);
    assert.equal(res.body.status, 'failed');
    assert.match(res.body.last_check_message, /no TXT record/);
  });

  it('a verified domain serves its links and sends unknown slugs to its fallback URL', async () => {
    const d = (await t.api('POST', '/api/v1/domains', { hostname: 'fb.brand.example', fallback_url: 'https://brand.example/start' })).body;
    dns.set({ txt: { '_linkhook.fb.brand.example': [`linkhook-verify=${d.verification_token}`] } });
    assert.equal((await t.api('POST', `/api/v1/domains/${d.id}/verify`)).body.status, 'verified');
    await t.api('POST', '/api/v1/links', { url: 'https://example.com/known', domain: 'fb.brand.example', slug: 'known' });
    // fetch() may not set Host; node:http can, as a browser on that domain would.
    const visit = (path: string) =>
      new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
        const u = new URL(t.url);
        const req = request({ host: u.hostname, port: u.port, path, headers: { host: 'fb.brand.example' } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        });
        req.on('error', reject);
        req.end();
      });
    const known = await visit('/known');
    assert.equal(known.location, 'https://example.com/known');
    const unknown = await visit('/no-such-slug');
    assert.ok(unknown.status >= 300 && unknown.status < 400, `status ${unknown.status}`);
    assert.equal(unknown.location, 'https://brand.example/start');
  });

  it('list, get, PATCH fallback_url; other workspaces see nothing', async () => {
    const d = (await t.api('POST', '/api/v1/domains', { hostname: 'patch.example' })).body;
    const patched = await t.api('PATCH', `/api/v1/domains/${d.id}`, { fallback_url: 'https://patch.example/home' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.fallback_url, 'https://patch.example/home');
    assert.equal((await t.api('GET', `/api/v1/domains/${d.id}`)).body.fallback_url, 'https://patch.example/home');
    const cleared = await t.api('PATCH', `/api/v1/domains/${d.id}`, { fallback_url: null });
    assert.equal(cleared.body.fallback_url, null);
    assert.equal((await t.api('PATCH', `/api/v1/domains/${d.id}`, { hostname: 'other.example' })).status, 422);
    assert.equal((await t.api('PATCH', `/api/v1/domains/${d.id}`, { fallback_url: 'file:///etc/passwd' })).status, 422);

    const list = await t.api('GET', '/api/v1/domains');
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((x: { id: string }) => x.id === d.id));

    const other = await t.newKey({ workspace: 'other-domains' });
    assert.deepEqual((await t.api('GET', '/api/v1/domains', undefined, other)).body.data, []);
    for (const [method, path, body] of [
      ['GET', `/api/v1/domains/${d.id}`, undefined],
      ['PATCH', `/api/v1/domains/${d.id}`, { fallback_url: null }],
      ['POST', `/api/v1/domains/${d.id}/verify`, undefined],
      ['DELETE', `/api/v1/domains/${d.id}`, undefined],
    ] as const) {
      assert.equal((await t.api(method, path, body, other)).status, 404, `${method} ${path}`);
    }
  });
});
