import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';
import type { StorageKind } from '../helpers/test-storage.ts';
import { CHROME_MAC, GOOGLEBOT, SAFARI_IPHONE, SLACKBOT } from './fixtures.ts';
import { httpRequest } from './http-request.ts';

const NO_STORE = /no-store/;

/** End to end over a real server and database: every redirect outcome and the click it stores. */
export function runRedirectSuite(kind: StorageKind): void {
  describe(`redirects and click capture (${kind})`, () => {
    const clock = new ManualClock('2026-06-01T10:00:00Z');
    let t: TestLinkhook;
    let workspaceId: string;

    const create = async (body: Record<string, unknown>): Promise<{ id: string; slug: string }> => {
      const r = await t.api('POST', '/api/v1/links', body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; slug: string };
    };
    const clicksOf = async (linkId: string): Promise<Click[]> => (await t.lh.storage.clicks.listByLink(workspaceId, linkId, { limit: 100 })).items;
    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => httpRequest(t.url + path, { method, headers });

    before(async () => {
      t = await startLinkhook({ storage: kind, clock });
      workspaceId = (await ensureWorkspace(t.lh.storage, clock)).id;
    });
    after(async () => t.close());

    for (const type of [301, 302, 307, 308] as const) {
      it(`answers a ${type} link with its status, Location and cache headers`, async () => {
        const link = await create({ url: 'https://example.com/page?ref=lh', slug: `type-${type}`, redirect_type: type });
        const r = await get(`/type-${type}`);
        assert.equal(r.status, type);
        assert.equal(r.headers.location, 'https://example.com/page?ref=lh');
        assert.equal(r.headers['x-robots-tag'], 'noindex');
        if (type === 302 || type === 307) assert.match(r.headers['cache-control'] ?? '', NO_STORE);
        else assert.match(r.headers['cache-control'] ?? '', /^private, max-age=\d+$/);
        // Committed before the response was written: readable at once, no waiting.
        assert.equal((await clicksOf(link.id)).length, 1);
      });
    }

    it('answers HEAD like GET without a body, and counts it as non-human', async () => {
      const link = await create({ url: 'https://example.com/head', slug: 'head-check' });
      const r = await get('/head-check', { 'user-agent': CHROME_MAC }, 'HEAD');
      assert.equal(r.status, 302);
      assert.equal(r.headers.location, 'https://example.com/head');
      assert.equal(r.body, '');
      const [c] = await clicksOf(link.id);
      assert.equal(c?.method, 'HEAD');
      assert.equal(c?.isBot, true);
      assert.equal(c?.botReason, 'head');
    });

    it('forwards query parameters, strips lh_qr and lh_test, and merges UTMs', async () => {
      const link = await create({ url: 'https://example.com/shop?a=1', slug: 'fwd', utm: { source: 'mail', campaign: 'june' } });
      const r = await get('/fwd?b=2&lh_qr=1&c=%C3%A9+x&lh_test=1');
      assert.equal(r.status, 302);
      const loc = new URL(r.headers.location ?? '');
      assert.equal(loc.origin + loc.pathname, 'https://example.com/shop');
      assert.deepEqual([...loc.searchParams], [
        ['a', '1'],
        ['utm_source', 'mail'],
        ['utm_campaign', 'june'],
        ['b', '2'],
        ['c', 'é x'],
      ]);
      const [c] = await clicksOf(link.id);
      assert.equal(c?.isQr, true);
      assert.equal(c?.isTest, true);
      assert.deepEqual(c?.utm, { source: 'mail', campaign: 'june' });
    });

    it('never lets request input reach a header unencoded', async () => {
      await create({ url: 'https://example.com/safe', slug: 'inject' });
      const r = await get('/inject?x=%0d%0aSet-Cookie:%20a=b&y=%E2%80%A8');
      assert.equal(r.status, 302);
      assert.equal(r.headers['set-cookie'], undefined);
      assert.match(r.headers.location ?? '', /^https:\/\/example\.com\/safe\?x=%0D%0ASet-Cookie%3A\+a%3Db&y=%E2%80%A8$/);
      const bad = await get('/%0d%0aSet-Cookie:%20a=b');
      assert.equal(bad.status, 404);
      assert.equal(bad.headers['set-cookie'], undefined);
    });

    it('shows an HTML 404 page for an unknown slug and stores no click', async () => {
      const before = await t.lh.storage.clicks.countAll();
      const r = await get('/no-such-link');
      assert.equal(r.status, 404);
      assert.match(r.headers['content-type'] ?? '', /^text\/html/);
      assert.match(r.headers['cache-control'] ?? '', NO_STORE);
      assert.equal(r.headers['x-robots-tag'], 'noindex');
      assert.match(r.body, /Link not found/);
      assert.doesNotMatch(r.body, /no-such-link/, 'the slug is not echoed');
      assert.equal(await t.lh.storage.clicks.countAll(), before);
    });

    it('serves a link created after its slug was a cached 404', async () => {
      assert.equal((await get('/late-comer')).status, 404);
      await create({ url: 'https://example.com/late', slug: 'late-comer' });
      assert.equal((await get('/late-comer')).headers.location, 'https://example.com/late');
    });

    it('follows a destination change at once (cache invalidated)', async () => {
      const link = await create({ url: 'https://example.com/v1', slug: 'edited' });
      assert.equal((await get('/edited')).headers.location, 'https://example.com/v1');
      const p = await t.api('PATCH', `/api/v1/links/${link.id}`, { url: 'https://example.com/v2' });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.equal((await get('/edited')).headers.location, 'https://example.com/v2');
      await t.api('DELETE', `/api/v1/links/${link.id}`);
      assert.equal((await get('/edited')).status, 404);
    });

    it('sends an expired link to expired_url, or shows a 410 page, and still records the visit', async () => {
      const soon = new Date(clock.now().getTime() + 60_000).toISOString();
      const withUrl = await create({ url: 'https://example.com/live', slug: 'exp-url', expires_at: soon, expired_url: 'https://example.com/over' });
      const without = await create({ url: 'https://example.com/live', slug: 'exp-410', expires_at: soon });
      assert.equal((await get('/exp-url')).headers.location, 'https://example.com/live');
      clock.advance(60_000);
      const a = await get('/exp-url?keep=1');
      assert.equal(a.status, 302);
      assert.equal(a.headers.location, 'https://example.com/over');
      assert.match(a.headers['cache-control'] ?? '', NO_STORE);
      const b = await get('/exp-410');
      assert.equal(b.status, 410);
      assert.match(b.body, /expired/);
      assert.match(b.headers['cache-control'] ?? '', NO_STORE);
      assert.equal((await clicksOf(withUrl.id)).length, 2);
      assert.equal((await clicksOf(without.id)).length, 1);
    });

    it('applies scheduled changes exactly at their time', async () => {
      const at1 = new Date(clock.now().getTime() + 3_600_000).toISOString();
      const at2 = new Date(clock.now().getTime() + 7_200_000).toISOString();
      await create({ url: 'https://example.com/a', slug: 'sched', scheduled_changes: [{ at: at1, url: 'https://example.com/b' }, { at: at2, action: 'disable' }] });
      assert.equal((await get('/sched')).headers.location, 'https://example.com/a');
      clock.advance(3_600_000 - 1);
      assert.equal((await get('/sched')).headers.location, 'https://example.com/a');
      clock.advance(1);
      assert.equal((await get('/sched')).headers.location, 'https://example.com/b');
      clock.advance(3_600_000);
      const off = await get('/sched');
      assert.equal(off.status, 410);
      assert.match(off.body, /no longer active/);
    });

    it('serves links of a verified custom domain by Host, and its fallback for unknown slugs', async () => {
      const host = 'go.brand.example';
      await t.lh.storage.domains.insert({
        id: newId('domain'),
        workspaceId,
        hostname: host,
        status: 'verified',
        verificationToken: 'tok',
        fallbackUrl: 'https://brand.example/',
        lastCheckMessage: null,
        lastCheckedAt: null,
        verifiedAt: clock.now().toISOString(),
        createdAt: clock.now().toISOString(),
      });
      await t.lh.storage.invalidate({ kind: 'domain', hostname: host });
      const link = await create({ url: 'https://brand.example/spring', slug: 'spring', domain: host });
      const r = await get('/spring', { host: 'GO.Brand.Example:443' });
      assert.equal(r.status, 302);
      assert.equal(r.headers.location, 'https://brand.example/spring');
      assert.equal((await clicksOf(link.id))[0]?.domain, host);
      // The same slug on the default domain is another link (none here).
      assert.equal((await get('/spring')).status, 404);
      const unknown = await get('/nothing-here', { host });
      assert.equal(unknown.status, 302);
      assert.equal(unknown.headers.location, 'https://brand.example/');
      assert.match(unknown.headers['cache-control'] ?? '', NO_STORE);
      assert.equal((await get('/', { host })).headers.location, 'https://brand.example/');
      assert.equal((await get('/not/a/link', { host })).headers.location, 'https://brand.example/');
      // An unknown Host is served as the default domain.
      await create({ url: 'https://example.com/dflt', slug: 'dflt' });
      assert.equal((await get('/dflt', { host: 'unknown.example' })).headers.location, 'https://example.com/dflt');
    });

    it('parses the user agent into browser, OS and device, and flags bots and previews', async () => {
      const link = await create({ url: 'https://example.com/ua', slug: 'ua' });
      await get('/ua', { 'user-agent': CHROME_MAC, referer: 'https://www.Reddit.com/r/x' });
      await get('/ua', { 'user-agent': SAFARI_IPHONE });
      await get('/ua', { 'user-agent': GOOGLEBOT });
      await get('/ua', { 'user-agent': SLACKBOT });
      const byUa = new Map((await clicksOf(link.id)).map((c) => [c.userAgent, c]));
      const chrome = byUa.get(CHROME_MAC);
      assert.equal(chrome?.browser, 'Chrome');
      assert.equal(chrome?.deviceType, 'desktop');
      assert.equal(chrome?.isBot, false);
      assert.equal(chrome?.referrerDomain, 'www.reddit.com');
      assert.equal(byUa.get(SAFARI_IPHONE)?.deviceType, 'mobile');
      assert.equal(byUa.get(GOOGLEBOT)?.isBot, true);
      assert.equal(byUa.get(SLACKBOT)?.isBot, true);
      assert.equal(byUa.get(SLACKBOT)?.botReason, 'preview');
    });

    it('stores a visitor hash, no raw IP, and honours the test header', async () => {
      const link = await create({ url: 'https://example.com/priv', slug: 'priv' });
      await get('/priv', { 'user-agent': CHROME_MAC });
      await get('/priv', { 'user-agent': CHROME_MAC, 'x-linkhook-test': '1' });
      const clicks = await clicksOf(link.id);
      assert.equal(clicks.length, 2);
      for (const c of clicks) {
        assert.match(c.visitorHash, /^[0-9a-f]{32}$/);
        assert.equal(c.ip, null);
      }
      assert.equal(clicks[0]?.visitorHash, clicks[1]?.visitorHash, 'same visitor, same day');
      assert.deepEqual(clicks.map((c) => c.isTest).sort(), [false, true]);
    });

    it('marks clicks on a test link as test traffic', async () => {
      const link = await create({ url: 'https://example.com/t', slug: 'test-link', is_test: true });
      await get('/test-link');
      assert.equal((await clicksOf(link.id))[0]?.isTest, true);
    });

    it('shows a landing page on the default domain root and leaves the API alone', async () => {
      const r = await get('/');
      assert.equal(r.status, 200);
      assert.match(r.headers['content-type'] ?? '', /^text\/html/);
      assert.equal((await get('/healthz')).status, 200);
      const apiMiss = await get('/api/v1/no-such-route');
      assert.equal(apiMiss.status, 404);
      assert.match(apiMiss.headers['content-type'] ?? '', /json/);
    });

    it('exports redirect and group-commit metrics', async () => {
      await create({ url: 'https://example.com/m', slug: 'metered' });
      await get('/metered');
      await get('/not-metered');
      const text = (await get('/metrics')).body;
      const value = (prefix: string): number => Number(text.split('\n').find((l) => l.startsWith(prefix))?.split(' ').pop());
      assert.ok(value('linkhook_redirects_total{status="302"}') >= 1);
      assert.ok(value('linkhook_redirects_total{status="404"}') >= 1);
      assert.ok(value('linkhook_clicks_recorded_total') >= 1);
      assert.ok(value('linkhook_click_batch_size_count') >= 1);
      assert.ok(value('linkhook_click_commit_seconds_count') >= 1);
    });

    it('answers any other unknown path with the HTML 404 page', async () => {
      for (const path of ['/not/a/link', '/favicon.ico', '/has.dot-slug']) {
        const r = await get(path);
        assert.equal(r.status, 404, path);
        assert.match(r.headers['content-type'] ?? '', /^text\/html/, path);
        assert.doesNotMatch(r.body, /not\/a\/link|slug/, 'the path is not echoed');
      }
    });
  });

  describe(`client IP behind a trusted proxy (${kind})`, () => {
    let t: TestLinkhook;
    before(async () => {
      t = await startLinkhook({ storage: kind, env: { LINKHOOK_TRUST_PROXY: 'true', LINKHOOK_TEST_IP_RANGES: '127.0.0.0/8', LINKHOOK_STORE_IP: 'true' } });
    });
    after(async () => t.close());

    it('geolocates X-Forwarded-For and flags clients in the test ranges', async () => {
      const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/geo', slug: 'geo' });
      const link = created.body as { id: string };
      await httpRequest(`${t.url}/geo`, { headers: { 'x-forwarded-for': '8.8.8.8', 'user-agent': CHROME_MAC } });
      await httpRequest(`${t.url}/geo`, { headers: { 'user-agent': CHROME_MAC } });
      const ws = await ensureWorkspace(t.lh.storage, { now: () => new Date() });
      const clicks = (await t.lh.storage.clicks.listByLink(ws.id, link.id, { limit: 10 })).items;
      const proxied = clicks.find((c) => c.ip === '8.8.8.8');
      assert.equal(proxied?.country, 'US');
      assert.equal(proxied?.isTest, false);
      const local = clicks.find((c) => c.ip !== '8.8.8.8');
      assert.match(local?.ip ?? '', /127\.0\.0\.1/);
      assert.equal(local?.isTest, true, 'loopback is in LINKHOOK_TEST_IP_RANGES');
    });
  });

  describe(`when clicks cannot be committed (${kind})`, () => {
    let t: TestLinkhook;
    before(async () => {
      t = await startLinkhook({ storage: kind });
    });
    after(async () => t.close());

    it('withholds the redirect and answers 503: no redirect is served without its click', async () => {
      await t.api('POST', '/api/v1/links', { url: 'https://example.com/db', slug: 'db-down' });
      assert.equal((await httpRequest(`${t.url}/db-down`)).status, 302); // now cached: no lookup needed
      await t.lh.storage.close(); // the database goes away under the server
      const r = await httpRequest(`${t.url}/db-down`);
      assert.equal(r.status, 503);
      assert.equal(r.headers.location, undefined);
      assert.match(r.headers['cache-control'] ?? '', NO_STORE);
      assert.match(r.body, /Temporarily unavailable/);
    });
  });
}
