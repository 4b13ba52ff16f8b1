import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Stats classify visits: clicks = human non-test (scans included), scans =
// the QR share of them, bots and test counted apart. Clicks are written
// straight into the click log here, so the API is tested independently of
// the redirect path (whose own tests make real redirects).

let seq = 0;
function click(link: { id: string; slug: string }, workspaceId: string, flags: Partial<Pick<Click, 'isBot' | 'isQr' | 'isTest' | 'ip'>>): Click {
  seq++;
  return {
    id: `clk_01jaaaaaaaaaaaaaaaaaaa${String(seq).padStart(4, '0')}`,
    workspaceId,
    linkId: link.id,
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    domain: null,
    slug: link.slug,
    method: 'GET',
    referrer: 'https://news.example/post',
    referrerDomain: 'news.example',
    userAgent: 'Mozilla/5.0',
    browser: 'Firefox',
    browserVersion: '130.0',
    os: 'Linux',
    deviceType: flags.isBot ? 'bot' : 'desktop',
    isBot: flags.isBot ?? false,
    botReason: flags.isBot ? 'user-agent' : null,
    country: 'DE',
    region: 'Berlin',
    city: 'Berlin',
    isQr: flags.isQr ?? false,
    isTest: flags.isTest ?? false,
    visitorHash: `vh${seq}`,
    ip: flags.ip ?? null,
    utm: { source: 'newsletter' },
  };
}

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`link stats and clicks on ${storage}`, () => {
    let t: TestLinkhook;
    let link: { id: string; slug: string };
    before(async () => {
      t = await startLinkhook({ storage });
      link = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/', utm: { source: 'newsletter' } })).body;
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      assert.ok(ws);
      const clicks = [
        ...Array.from({ length: 5 }, () => click(link, ws.id, {})),
        ...Array.from({ length: 3 }, () => click(link, ws.id, { isQr: true })),
        ...Array.from({ length: 2 }, () => click(link, ws.id, { isBot: true })),
        click(link, ws.id, { isBot: true, isQr: true }),
        ...Array.from({ length: 4 }, () => click(link, ws.id, { isTest: true })),
        click(link, ws.id, { isTest: true, isBot: true }),
        click(link, ws.id, { ip: '203.0.113.9' }),
      ];
      await t.lh.storage.clicks.insertMany(clicks);
    });
    after(async () => {
      await t.close();
    });

    it('stats: {clicks, scans, bots, test}', async () => {
      const res = await t.api('GET', `/api/v1/links/${link.id}/stats`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { clicks: 9, scans: 3, bots: 3, test: 5 });
    });

    it('a link without visits has zero stats', async () => {
      const fresh = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/none' })).body;
      const res = await t.api('GET', `/api/v1/links/${fresh.id}/stats`);
      assert.deepEqual(res.body, { clicks: 0, scans: 0, bots: 0, test: 0 });
    });

    it('clicks: newest first, snake_case, paginated; ip only when stored', async () => {
      const seen: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await t.api('GET', `/api/v1/links/${link.id}/clicks?limit=7${q}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.data);
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(seen.length, 17);
      assert.equal(pages, 3);
      assert.equal(new Set(seen.map((c) => c.id)).size, 17);
      const ts = seen.map((c) => String(c.ts));
      assert.deepEqual(ts, [...ts].sort().reverse(), 'newest first');
      const first = seen.find((c) => c.ip === undefined && c.is_bot === false && c.is_test === false);
      assert.ok(first);
      for (const k of ['id', 'link_id', 'ts', 'referrer_domain', 'user_agent', 'device_type', 'is_bot', 'is_qr', 'is_test', 'visitor_hash', 'country', 'utm']) {
        assert.ok(k in first, `missing ${k}`);
      }
      assert.equal(first.link_id, link.id);
      assert.equal('ip' in first, false);
      assert.equal(seen.filter((c) => c.ip === '203.0.113.9').length, 1);
    });

    it('counts real redirects: human click, QR scan, bot, HEAD, test traffic', async () => {
      const l = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/real' })).body;
      const human = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';
      const visit = async (query: string, init: { method?: string; headers?: Record<string, string> } = {}) => {
        const res = await fetch(`${t.url}/${l.slug}${query}`, { redirect: 'manual', method: init.method ?? 'GET', headers: { 'user-agent': human, ...init.headers } });
        await res.arrayBuffer();
        assert.equal(res.status, 302, `${init.method ?? 'GET'} ${query}`);
      };
      await visit('');
      await visit('?lh_qr=1');
      await visit('', { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } });
      await visit('', { method: 'HEAD' });
      await visit('', { headers: { 'x-linkhook-test': '1' } });
      // A click is committed before its redirect is answered: no waiting needed.
      const stats = await t.api('GET', `/api/v1/links/${l.id}/stats`);
      assert.deepEqual(stats.body, { clicks: 2, scans: 1, bots: 2, test: 1 });
      const clicks = await t.api('GET', `/api/v1/links/${l.id}/clicks`);
      assert.equal(clicks.body.data.length, 5);
      assert.equal(clicks.body.data.filter((c: { is_qr: boolean }) => c.is_qr).length, 1);
      assert.ok(clicks.body.data.every((c: Record<string, unknown>) => !('ip' in c)), 'raw IPs are not stored by default');
    });

    it('422 for a bad limit, 404 for an unknown link', async () => {
      assert.equal((await t.api('GET', `/api/v1/links/${link.id}/clicks?limit=1000`)).status, 422);
      assert.equal((await t.api('GET', '/api/v1/links/lnk_00000000000000000000000000/clicks')).status, 404);
      assert.equal((await t.api('GET', '/api/v1/links/lnk_00000000000000000000000000/stats')).status, 404);
    });
  });
}
