import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// GET /api/v1/analytics over real clicks on both storages: parameters,
// groupings, zones, defaults that exclude bots and test traffic, scopes,
// workspaces, and the catalogue's 422 for every kind of bad parameter.

const D0 = Date.parse('2026-03-28T00:00:00.000Z'); // Berlin moves to summer time on the 29th
const H = 3_600_000;

function click(link: { id: string; slug: string }, workspaceId: string, ms: number, over: Partial<Click> = {}): Click {
  return {
    id: newId('click', ms), workspaceId, linkId: link.id, ts: new Date(ms).toISOString(), domain: null, slug: link.slug, method: 'GET',
    referrer: 'https://news.example/x', referrerDomain: 'news.example', userAgent: 'Mozilla/5.0', browser: 'Firefox', browserVersion: '130.0',
    os: 'Linux', deviceType: 'desktop', isBot: false, botReason: null, country: 'DE', region: null, city: 'Berlin', isQr: false, isTest: false,
    visitorHash: `v${ms}`, ip: null, utm: { source: 'newsletter' }, ...over,
  };
}

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`GET /api/v1/analytics on ${storage}`, () => {
    let t: TestLinkhook;
    let a: { id: string; slug: string };
    let b: { id: string; slug: string };
    const range = `from=${new Date(D0).toISOString()}&to=${new Date(D0 + 3 * 24 * H).toISOString()}`;
    before(async () => {
      t = await startLinkhook({ storage });
      a = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/a', tags: ['spring'], campaign: 'launch' })).body;
      b = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/b' })).body;
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      assert.ok(ws);
      await t.lh.storage.clicks.insertMany([
        click(a, ws.id, D0 + 22.5 * H, { visitorHash: 'same' }), // 23:30 in Berlin (UTC+1): still the 28th there
        click(a, ws.id, D0 + 23.5 * H, { visitorHash: 'same', isQr: true }), // 00:30 on the 29th in Berlin
        click(b, ws.id, D0 + 30 * H, { country: 'FR', referrerDomain: null }),
        click(b, ws.id, D0 + 31 * H, { isBot: true, botReason: 'user-agent', deviceType: 'bot' }),
        click(b, ws.id, D0 + 32 * H, { isTest: true }),
      ]);
    });
    after(async () => {
      await t.close();
    });

    const get = async (query: string, key?: string) => t.api('GET', `/api/v1/analytics?${query}`, undefined, key);

    it('daily series in UTC: every bucket, empty ones as zeros, bots and test excluded', async () => {
      const res = await get(range);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.data, [
        { key: '2026-03-28T00:00:00+00:00', clicks: 2, visitors: 1 },
        { key: '2026-03-29T00:00:00+00:00', clicks: 1, visitors: 1 },
        { key: '2026-03-30T00:00:00+00:00', clicks: 0, visitors: 0 },
      ]);
    });

    it('buckets in the caller zone, across a DST change', async () => {
      const res = await get(`from=2026-03-28T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00&tz=Europe/Berlin`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.data, [
        { key: '2026-03-28T00:00:00+01:00', clicks: 1, visitors: 1 },
        { key: '2026-03-29T00:00:00+01:00', clicks: 2, visitors: 2 },
      ]);
    });

    it('top-N by any dimension, with filters and the bot/test flags', async () => {
      assert.deepEqual((await get(`${range}&group_by=link`)).body.data, [{ key: a.id, clicks: 2, visitors: 1 }, { key: b.id, clicks: 1, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=country&limit=1`)).body.data, [{ key: 'DE', clicks: 2, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=link&include_bots=true&include_test=true`)).body.data, [{ key: b.id, clicks: 3, visitors: 3 }, { key: a.id, clicks: 2, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=qr`)).body.data, [{ key: 'web', clicks: 2, visitors: 2 }, { key: 'qr', clicks: 1, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=tag`)).body.data, [{ key: 'spring', clicks: 2, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=campaign&country=de`)).body.data, [{ key: 'launch', clicks: 2, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=referrer_domain&qr=false`)).body.data, [{ key: null, clicks: 1, visitors: 1 }, { key: 'news.example', clicks: 1, visitors: 1 }]);
      assert.deepEqual((await get(`${range}&group_by=utm_source&link_id=${b.id}&domain=default`)).body.data, [{ key: 'newsletter', clicks: 1, visitors: 1 }]);
      const hours = await get(`interval=hour&link_id=${b.id}&from=${new Date(D0 + 30 * H).toISOString()}&to=${new Date(D0 + 32 * H).toISOString()}`);
      assert.deepEqual(hours.body.data, [{ key: '2026-03-29T06:00:00+00:00', clicks: 1, visitors: 1 }, { key: '2026-03-29T07:00:00+00:00', clicks: 0, visitors: 0 }]);
    });

    it('422 with the catalogue code for each bad parameter', async () => {
      for (const [query, field] of [
        ['group_by=colour', 'group_by'],
        ['interval=week', 'interval'],
        ['tz=Mars/Olympus', 'tz'],
        ['from=yesterday', 'from'],
        ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
        ['group_by=country&limit=0', 'limit'],
        ['limit=5', 'limit'],
        ['include_bots=maybe', 'include_bots'],
        ['colour=red', 'colour'],
        ['interval=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'interval'],
        ['domain=not a host', 'domain'],
      ]) {
        const res = await get(query as string);
        assert.equal(res.status, 422, `${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.ok(res.body.error.details.fields.some((f: { field: string }) => f.field === field), `${query}: ${JSON.stringify(res.body.error.details)}`);
      }
    });

    it('needs analytics:read and sees only its own workspace', async () => {
      const linksOnly = await t.newKey({ scopes: ['links:read'] });
      const res = await get(range, linksOnly);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
      const other = await t.newKey({ workspace: 'other', scopes: ['analytics:read'] });
      assert.deepEqual((await get(`${range}&group_by=link`, other)).body.data, []);
    });

    it('defaults to the last 30 days, daily', async () => {
      const res = await get('');
      assert.equal(res.status, 200);
      assert.equal(res.body.data.length, 30);
      assert.match(res.body.data[29].key, /^\d{4}-\d{2}-\d{2}T00:00:00\+00:00$/);
    });
  });
}
