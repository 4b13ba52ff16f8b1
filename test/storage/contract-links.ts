import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { AppError } from '../../src/domain/shared/errors.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeFullLink, makeLink } from './fixtures.ts';

function isAppError(code: string, details: Record<string, unknown> = {}) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof AppError, `expected AppError(${code}), got ${String(err)}`);
    assert.equal(err.code, code);
    for (const [k, v] of Object.entries(details)) assert.deepEqual(err.details[k], v);
    return true;
  };
}

async function allPages(storage: Storage, ws: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.links.list(ws, {}, cursor === undefined ? { limit } : { cursor, limit });
    pages.push(page.items.map((l) => l.slug));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 20);
  return pages;
}

export function linkContract(get: CurrentStorage): void {
  void it('round-trips every field of a link, by id and by (domain, slug)', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const full = makeFullLink(ws.id);
    const plain = makeLink(ws.id);
    await s.links.insert(full);
    await s.links.insert(plain);
    assert.deepEqual(await s.links.getById(ws.id, full.id), full);
    assert.deepEqual(await s.links.getById(ws.id, plain.id), plain);
    assert.deepEqual(await s.links.findBySlug('go.example.com', full.slug), full);
    assert.deepEqual(await s.links.findBySlug(null, plain.slug), plain);
    assert.equal(await s.links.findBySlug(null, full.slug), undefined, 'a custom-domain slug is not on the default domain');
    assert.equal(await s.links.slugExists('go.example.com', full.slug), true);
    assert.equal(await s.links.slugExists(null, 'nope'), false);
  });

  void it('refuses a taken (domain, slug) with AppError slug_taken, on insert and update', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const other = await addWorkspace(s);
    await s.links.insert(makeLink(ws.id, { slug: 'sale' }));
    await assert.rejects(s.links.insert(makeLink(other.id, { slug: 'sale' })), isAppError('slug_taken', { slug: 'sale' }));
    await s.links.insert(makeLink(ws.id, { slug: 'sale', domain: 'go.example.com' })); // same slug, other domain: fine
    await assert.rejects(s.links.insert(makeLink(ws.id, { slug: 'sale', domain: 'go.example.com' })), isAppError('slug_taken', { slug: 'sale' }));
    const moving = makeLink(ws.id, { slug: 'winter' });
    await s.links.insert(moving);
    await assert.rejects(s.links.update({ ...moving, slug: 'sale' }), isAppError('slug_taken', { slug: 'sale' }));
    assert.equal((await s.links.getById(ws.id, moving.id))?.slug, 'winter');
  });

  void it('update replaces the whole row and its tags', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeFullLink(ws.id);
    await s.links.insert(link);
    const changed: Link = { ...makeLink(ws.id, { id: link.id, createdAt: link.createdAt, slug: 'renamed', tags: ['fresh'] }) };
    await s.links.update(changed);
    assert.deepEqual(await s.links.getById(ws.id, link.id), changed);
    assert.deepEqual((await s.links.list(ws.id, { tag: 'promo' }, { limit: 10 })).items, []);
    assert.deepEqual((await s.links.list(ws.id, { tag: 'fresh' }, { limit: 10 })).items, [changed]);
    assert.equal(await s.links.findBySlug('go.example.com', link.slug), undefined);
  });

  void it('delete removes the link and its tags, only in its own workspace', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const other = await addWorkspace(s);
    const link = makeLink(ws.id, { tags: ['a', 'b'] });
    await s.links.insert(link);
    assert.equal(await s.links.delete(other.id, link.id), false);
    assert.equal(await s.links.delete(ws.id, link.id), true);
    assert.equal(await s.links.delete(ws.id, link.id), false);
    assert.equal(await s.links.getById(ws.id, link.id), undefined);
    assert.deepEqual((await s.links.list(ws.id, { tag: 'a' }, { limit: 10 })).items, []);
    await s.links.insert(makeLink(ws.id, { slug: link.slug })); // the slug is free again
  });

  void it('keeps workspaces apart', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const other = await addWorkspace(s);
    const link = makeLink(ws.id, { tags: ['x'] });
    await s.links.insert(link);
    assert.equal(await s.links.getById(other.id, link.id), undefined);
    assert.deepEqual(await s.links.list(other.id, {}, { limit: 10 }), { items: [], nextCursor: null });
    assert.deepEqual((await s.links.list(other.id, { tag: 'x' }, { limit: 10 })).items, []);
    assert.deepEqual(await s.workspaces.getById(ws.id), ws);
    assert.deepEqual(await s.workspaces.getBySlug(other.slug), other);
    assert.equal(await s.workspaces.getBySlug('missing'), undefined);
  });

  void it('filters by tag, campaign, domain and search', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const a = makeLink(ws.id, { slug: 'Alpha-Sale', tags: ['promo', 'q1'], campaign: 'spring' });
    const b = makeLink(ws.id, { slug: 'beta', title: 'Big SALE today', domain: 'go.example.com', campaign: 'spring' });
    const c = makeLink(ws.id, { slug: 'gamma', url: 'https://shop.example.com/SALE', tags: ['q1'] });
    const d = makeLink(ws.id, { slug: 'delta', externalId: 'CRM_SALE_9', domain: 'go.example.com' });
    const e = makeLink(ws.id, { slug: 'epsilon', title: '100% off', tags: ['promo'] });
    for (const l of [a, b, c, d, e]) await s.links.insert(l);
    const slugs = async (filter: Parameters<Storage['links']['list']>[1]): Promise<string[]> =>
      (await s.links.list(ws.id, filter, { limit: 50 })).items.map((l) => l.slug);
    assert.deepEqual(await slugs({}), ['epsilon', 'delta', 'gamma', 'beta', 'Alpha-Sale'], 'newest first');
    assert.deepEqual(await slugs({ tag: 'promo' }), ['epsilon', 'Alpha-Sale']);
    assert.deepEqual(await slugs({ tag: 'q1' }), ['gamma', 'Alpha-Sale']);
    assert.deepEqual(await slugs({ campaign: 'spring' }), ['beta', 'Alpha-Sale']);
    assert.deepEqual(await slugs({ domain: null }), ['epsilon', 'gamma', 'Alpha-Sale']);
    assert.deepEqual(await slugs({ domain: 'go.example.com' }), ['delta', 'beta']);
    assert.deepEqual(await slugs({ search: 'sale' }), ['delta', 'gamma', 'beta', 'Alpha-Sale'], 'slug, title, url, external id; any case');
    assert.deepEqual(await slugs({ search: 'SALE', domain: null, tag: 'q1' }), ['gamma', 'Alpha-Sale'], 'filters combine');
    assert.deepEqual(await slugs({ search: '100%' }), ['epsilon'], '% is literal');
    assert.deepEqual(await slugs({ search: '%' }), ['epsilon']);
    assert.deepEqual(await slugs({ search: 'crm_' }), ['delta'], '_ is literal');
    assert.deepEqual(await slugs({ search: 'a_s' }), [], '_ does not match any character');
    assert.deepEqual(await slugs({ tag: 'none' }), []);
  });

  void it('pages newest first with opaque cursors; nextCursor is null on the last page', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    for (const slug of ['l1', 'l2', 'l3', 'l4', 'l5']) await s.links.insert(makeLink(ws.id, { slug }));
    assert.deepEqual(await allPages(s, ws.id, 2), [['l5', 'l4'], ['l3', 'l2'], ['l1']]);
    assert.deepEqual(await allPages(s, ws.id, 5), [['l5', 'l4', 'l3', 'l2', 'l1']], 'an exact fit has no next page');
    assert.deepEqual(await allPages(s, ws.id, 100), [['l5', 'l4', 'l3', 'l2', 'l1']]);
    const first = await s.links.list(ws.id, {}, { limit: 2 });
    assert.ok(first.nextCursor && !first.nextCursor.includes('lnk_'), 'the cursor is opaque');
    const tagged = await s.links.list(ws.id, { search: 'l' }, { limit: 4 });
    assert.deepEqual((await s.links.list(ws.id, { search: 'l' }, { cursor: tagged.nextCursor!, limit: 4 })).items.map((l) => l.slug), ['l1']);
    await assert.rejects(s.links.list(ws.id, {}, { cursor: 'not-a-cursor', limit: 2 }), isAppError('validation_failed'));
  });
}
