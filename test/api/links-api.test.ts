import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The core link API — CRUD, list, bulk, isolation — against both storages:
// the same requests must give the same answers on SQLite and PostgreSQL.

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`links API on ${storage}`, () => {
    let t: TestLinkhook;
    before(async () => {
      t = await startLinkhook({ storage });
    });
    after(async () => {
      await t.close();
    });

    it('creates a link with every optional field, merging UTMs into destination_url', async () => {
      const res = await t.api('POST', '/api/v1/links', {
        url: 'https://example.com/landing?ref=x',
        slug: 'spring-sale',
        redirect_type: 301,
        title: 'Spring sale',
        tags: ['promo', 'spring', 'promo'],
        campaign: 'spring-2026',
        utm: { source: 'newsletter', medium: 'email', campaign: 'spring' },
        priority: 'high',
        owner: 'ana@example.com',
        expires_at: '2099-01-01T00:00:00Z',
        expired_url: 'https://example.com/over',
        scheduled_changes: [{ at: '2098-01-01T00:00:00Z', url: 'https://example.com/later' }],
        is_test: true,
        external_id: 'crm-42',
        metadata: { contact_id: 'c_1', conversation: 'conv-9' },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const l = res.body;
      assert.match(l.id, /^lnk_[0-9a-z]{26}$/);
      assert.equal(res.headers.get('location'), `/api/v1/links/${l.id}`);
      assert.equal(l.slug, 'spring-sale');
      assert.equal(l.domain, null);
      assert.equal(l.short_url, `${t.config.baseUrl}/spring-sale`);
      assert.equal(l.url, 'https://example.com/landing?ref=x');
      const dest = new URL(l.destination_url);
      assert.equal(dest.searchParams.get('ref'), 'x');
      assert.equal(dest.searchParams.get('utm_source'), 'newsletter');
      assert.equal(dest.searchParams.get('utm_medium'), 'email');
      assert.equal(dest.searchParams.get('utm_campaign'), 'spring');
      assert.equal(l.redirect_type, 301);
      assert.deepEqual([...l.tags].sort(), ['promo', 'spring']);
      assert.equal(l.campaign, 'spring-2026');
      assert.deepEqual(l.utm, { source: 'newsletter', medium: 'email', campaign: 'spring' });
      assert.equal(l.priority, 'high');
      assert.equal(l.owner, 'ana@example.com');
      assert.equal(l.expires_at, '2099-01-01T00:00:00.000Z');
      assert.equal(l.expired_url, 'https://example.com/over');
      assert.deepEqual(l.scheduled_changes, [{ at: '2098-01-01T00:00:00.000Z', url: 'https://example.com/later' }]);
      assert.equal(l.is_test, true);
      assert.equal(l.external_id, 'crm-42');
      assert.deepEqual(l.metadata, { contact_id: 'c_1', conversation: 'conv-9' });
      assert.equal(l.qr_url, `/api/v1/links/${l.id}/qr`);
      assert.ok(!Number.isNaN(Date.parse(l.created_at)));

      const got = await t.api('GET', `/api/v1/links/${l.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual({ ...got.body, tags: [...got.body.tags].sort() }, { ...l, tags: [...l.tags].sort() });
    });

    it('keeps a utm_* parameter the destination already has', async () => {
      const res = await t.api('POST', '/api/v1/links', { url: 'https://example.com/?utm_source=site', utm: { source: 'mail', medium: 'email' } });
      assert.equal(res.status, 201);
      const dest = new URL(res.body.destination_url);
      assert.deepEqual(dest.searchParams.getAll('utm_source'), ['site']);
      assert.equal(dest.searchParams.get('utm_medium'), 'email');
    });

    it('defaults: random base62 slug of at least 7 characters, 302, normal priority', async () => {
      const res = await t.api('POST', '/api/v1/links', { url: 'https://example.com/' });
      assert.equal(res.status, 201);
      assert.match(res.body.slug, /^[0-9A-Za-z]{7,}$/);
      assert.equal(res.body.redirect_type, 302);
      assert.equal(res.body.priority, 'normal');
      assert.deepEqual(res.body.tags, []);
      assert.deepEqual(res.body.metadata, {});
      assert.equal(res.body.title, null);
    });

    it('refuses a custom slug that is taken (409) and leaves the original alone', async () => {
      const first = await t.api('POST', '/api/v1/links', { url: 'https://a.example/', slug: 'taken' });
      assert.equal(first.status, 201);
      const second = await t.api('POST', '/api/v1/links', { url: 'https://b.example/', slug: 'taken' });
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'slug_taken');
      const still = await t.api('GET', `/api/v1/links/${first.body.id}`);
      assert.equal(still.body.url, 'https://a.example/');
    });

    it('PATCH changes only the given fields; null clears', async () => {
      const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/p', title: 'Old', tags: ['a'], campaign: 'c1' });
      const id = created.body.id;
      const res = await t.api('PATCH', `/api/v1/links/${id}`, { title: 'New', tags: ['b', 'c'], campaign: null, utm: { source: 'x' }, slug: 'patched-slug' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.title, 'New');
      assert.deepEqual([...res.body.tags].sort(), ['b', 'c']);
      assert.equal(res.body.campaign, null);
      assert.equal(res.body.slug, 'patched-slug');
      assert.equal(res.body.url, 'https://example.com/p');
      assert.equal(new URL(res.body.destination_url).searchParams.get('utm_source'), 'x');
      assert.ok(res.body.updated_at >= created.body.updated_at);
      const got = await t.api('GET', `/api/v1/links/${id}`);
      assert.equal(got.body.title, 'New');

      const bad = await t.api('PATCH', `/api/v1/links/${id}`, { url: 'javascript:alert(1)' });
      assert.equal(bad.status, 422);
      assert.equal((await t.api('GET', `/api/v1/links/${id}`)).body.url, 'https://example.com/p');

      const clash = await t.api('PATCH', `/api/v1/links/${id}`, { slug: 'taken' });
      assert.equal(clash.status, 409);
      assert.equal(clash.body.error.code, 'slug_taken');
      assert.equal((await t.api('PATCH', '/api/v1/links/lnk_nope', { title: 'x' })).status, 404);
    });

    it('DELETE answers 204, then the link is 404', async () => {
      const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/del' });
      const del = await t.api('DELETE', `/api/v1/links/${created.body.id}`);
      assert.equal(del.status, 204);
      assert.equal(del.body, null);
      const got = await t.api('GET', `/api/v1/links/${created.body.id}`);
      assert.equal(got.status, 404);
      assert.equal(got.body.error.code, 'not_found');
      assert.equal((await t.api('DELETE', `/api/v1/links/${created.body.id}`)).status, 404);
    });

    it('lists with filters and cursor pagination', async () => {
      const key = await t.newKey({ workspace: `list-${storage}` });
      const made: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t.api(
          'POST',
          '/api/v1/links',
          { url: `https://shop.example/item/${i}`, title: i === 3 ? 'The Needle' : `Item ${i}`, tags: i % 2 === 0 ? ['even'] : ['odd'], campaign: i < 2 ? 'launch' : null },
          key,
        );
        assert.equal(res.status, 201);
        made.push(res.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await t.api('GET', `/api/v1/links?limit=3${q}`, undefined, key);
        assert.equal(res.status, 200);
        assert.ok(res.body.data.length <= 3);
        seen.push(...res.body.data.map((l: { id: string }) => l.id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual([...seen].sort(), [...made].sort());
      assert.equal(new Set(seen).size, 7);

      const even = await t.api('GET', '/api/v1/links?tag=even', undefined, key);
      assert.equal(even.body.data.length, 4);
      const launch = await t.api('GET', '/api/v1/links?campaign=launch', undefined, key);
      assert.equal(launch.body.data.length, 2);
      const needle = await t.api('GET', '/api/v1/links?search=needle', undefined, key);
      assert.deepEqual(needle.body.data.map((l: { id: string }) => l.id), [made[3]]);
      const onDefault = await t.api('GET', '/api/v1/links?domain=default&limit=100', undefined, key);
      assert.equal(onDefault.body.data.length, 7);
      const other = await t.api('GET', '/api/v1/links?domain=go.example.com', undefined, key);
      assert.deepEqual(other.body.data, []);

      for (const q of ['limit=0', 'limit=101', 'limit=abc', 'tags=even', 'tag=a&tag=b']) {
        const res = await t.api('GET', `/api/v1/links?${q}`, undefined, key);
        assert.equal(res.status, 422, q);
        assert.equal(res.body.error.code, 'validation_failed');
      }
    });

    it('bulk creates good rows, reports bad and duplicate rows, writes nothing half-way', async () => {
      const key = await t.newKey({ workspace: `bulk-${storage}` });
      const existing = await t.api('POST', '/api/v1/links', { url: 'https://example.com/', slug: `exists-${storage}` }, key);
      assert.equal(existing.status, 201);
      const rows = [
        { url: 'https://example.com/1', slug: `bulk-a-${storage}`, tags: ['bulk'] },
        { url: 'javascript:alert(1)' },
        { url: 'https://example.com/2', slug: `bulk-a-${storage}` },
        { url: 'https://example.com/3', tags: ['bulk'] },
        { url: 'https://example.com/4', slug: `exists-${storage}` },
        { url: 'https://example.com/5', bogus: true },
        'not an object',
      ];
      const res = await t.api('POST', '/api/v1/links/bulk', { links: rows }, key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.created, 2);
      assert.equal(res.body.failed, 5);
      const r = res.body.results;
      assert.deepEqual(r.map((x: { index: number }) => x.index), [0, 1, 2, 3, 4, 5, 6]);
      assert.deepEqual(r.map((x: { ok: boolean }) => x.ok), [true, false, false, true, false, false, false]);
      assert.equal(r[0].link.slug, `bulk-a-${storage}`);
      assert.match(r[0].link.short_url, /\/bulk-a-/);
      assert.equal(r[1].error.code, 'validation_failed');
      assert.equal(r[2].error.code, 'slug_taken');
      assert.equal(r[4].error.code, 'slug_taken');
      assert.equal(r[5].error.code, 'validation_failed');
      assert.equal(r[6].error.code, 'validation_failed');

      const listed = await t.api('GET', '/api/v1/links?tag=bulk&limit=100', undefined, key);
      assert.deepEqual(listed.body.data.map((l: { id: string }) => l.id).sort(), [r[0].link.id, r[3].link.id].sort());
      const all = await t.api('GET', '/api/v1/links?limit=100', undefined, key);
      assert.equal(all.body.data.length, 3, 'the existing link and the two good rows, nothing else');
      const ex = await t.api('GET', `/api/v1/links/${existing.body.id}`, undefined, key);
      assert.equal(ex.body.url, 'https://example.com/');
    });

    it('bulk refuses an empty list, more than 1,000 rows and a body without links', async () => {
      for (const body of [{ links: [] }, { links: Array.from({ length: 1001 }, () => ({ url: 'https://e.example/' })) }, {}, { links: [], extra: 1 }, []]) {
        const res = await t.api('POST', '/api/v1/links/bulk', body);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'validation_failed');
      }
    });

    it('isolates workspaces: another workspace gets 404 and does not list the link', async () => {
      const keyA = await t.newKey({ workspace: `iso-a-${storage}` });
      const keyB = await t.newKey({ workspace: `iso-b-${storage}` });
      const a = await t.api('POST', '/api/v1/links', { url: 'https://secret.example/', title: 'A secret' }, keyA);
      assert.equal(a.status, 201);
      const id = a.body.id;
      for (const [method, path, body] of [
        ['GET', `/api/v1/links/${id}`, undefined],
        ['PATCH', `/api/v1/links/${id}`, { title: 'pwned' }],
        ['DELETE', `/api/v1/links/${id}`, undefined],
        ['GET', `/api/v1/links/${id}/qr`, undefined],
        ['GET', `/api/v1/links/${id}/stats`, undefined],
        ['GET', `/api/v1/links/${id}/clicks`, undefined],
      ] as const) {
        const res = await t.api(method, path, body, keyB);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.code, 'not_found');
      }
      const listB = await t.api('GET', '/api/v1/links?search=secret', undefined, keyB);
      assert.deepEqual(listB.body.data, []);
      const stillA = await t.api('GET', `/api/v1/links/${id}`, undefined, keyA);
      assert.equal(stillA.body.title, 'A secret');
    });
  });
}
