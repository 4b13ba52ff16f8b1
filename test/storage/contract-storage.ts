import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { InvalidationKey } from '../../src/domain/ports.ts';
import { AppError } from '../../src/domain/shared/errors.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { ApiKey } from '../../src/domain/workspaces/workspace.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeClick, makeDomain, makeLink, nextTime } from './fixtures.ts';

export function storageLevelContract(get: CurrentStorage): void {
  void it('names its dialect, answers ping, and migrates idempotently (also concurrently)', async () => {
    const s = get();
    assert.ok(s.dialect === 'sqlite' || s.dialect === 'postgres');
    await s.ping();
    await s.migrate();
    await Promise.all([s.migrate(), s.migrate()]);
    await s.ping();
  });

  void it('commits everything a transaction wrote together, and returns its value', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id, { tags: ['t'] });
    const result = await s.transaction(async (tx) => {
      await tx.links.insert(link);
      await tx.clicks.insertMany([makeClick(link)]);
      await tx.domains.insert(makeDomain(ws.id, 'tx.example.com'));
      assert.deepEqual(await tx.links.getById(ws.id, link.id), link, 'reads inside see the writes');
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(await s.links.getById(ws.id, link.id), link);
    assert.equal(await s.clicks.countAll(), 1);
    assert.ok(await s.domains.getByHostname('tx.example.com'));
  });

  void it('rolls back everything when the function throws', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id, { tags: ['t'] });
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.workspaces.insert({ id: newId('workspace'), slug: 'ghost', name: 'Ghost', createdAt: nextTime() });
        await tx.links.insert(link);
        await tx.clicks.insertMany([makeClick(link), makeClick(link)]);
        await tx.domains.insert(makeDomain(ws.id, 'rollback.example.com'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.workspaces.getBySlug('ghost'), undefined);
    assert.equal(await s.links.getById(ws.id, link.id), undefined);
    assert.deepEqual((await s.links.list(ws.id, { tag: 't' }, { limit: 10 })).items, []);
    assert.equal(await s.clicks.countAll(), 0);
    assert.equal(await s.domains.getByHostname('rollback.example.com'), undefined);
  });

  void it('rolls back a transaction that hit slug_taken, reporting the AppError', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    await s.links.insert(makeLink(ws.id, { slug: 'taken' }));
    const fresh = makeLink(ws.id, { slug: 'fresh' });
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.links.insert(fresh);
        await tx.links.insert(makeLink(ws.id, { slug: 'taken' }));
      }),
      (err: unknown) => err instanceof AppError && err.code === 'slug_taken',
    );
    assert.equal(await s.links.slugExists(null, 'fresh'), false);
  });

  void it('stores API keys by hash', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const key: ApiKey = { id: newId('apiKey'), workspaceId: ws.id, name: 'ci', prefix: 'lh_abc', hash: 'f'.repeat(64), scopes: ['links:read', 'admin'], createdAt: nextTime(), revokedAt: null };
    await s.apiKeys.insert(key);
    assert.deepEqual(await s.apiKeys.getByHash(key.hash), key);
    assert.equal(await s.apiKeys.getByHash('0'.repeat(64)), undefined);
    const revoked: ApiKey = { ...key, id: newId('apiKey'), hash: 'e'.repeat(64), revokedAt: nextTime() };
    await s.apiKeys.insert(revoked);
    assert.deepEqual(await s.apiKeys.getByHash(revoked.hash), revoked);
  });

  void it('stores custom domains: unique hostnames (domain_taken), updates, workspace isolation', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const other = await addWorkspace(s);
    const dom = makeDomain(ws.id, 'go.example.com');
    await s.domains.insert(dom);
    await assert.rejects(s.domains.insert(makeDomain(other.id, 'go.example.com')), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'domain_taken');
      assert.equal(err.details.domain, 'go.example.com');
      return true;
    });
    const second = makeDomain(ws.id, 'links.example.com');
    await s.domains.insert(second);
    const verified = { ...dom, status: 'verified' as const, fallbackUrl: 'https://example.com/', lastCheckMessage: 'TXT found', lastCheckedAt: nextTime(), verifiedAt: nextTime() };
    await s.domains.update(verified);
    assert.deepEqual(await s.domains.getById(ws.id, dom.id), verified);
    assert.deepEqual(await s.domains.getByHostname('go.example.com'), verified);
    assert.deepEqual(await s.domains.list(ws.id), [verified, second]);
    assert.deepEqual(await s.domains.list(other.id), []);
    assert.equal(await s.domains.getById(other.id, dom.id), undefined);
    await assert.rejects(s.domains.update({ ...second, hostname: 'go.example.com' }), (err: unknown) => err instanceof AppError && err.code === 'domain_taken');
    assert.equal(await s.domains.delete(other.id, dom.id), false);
    assert.equal(await s.domains.delete(ws.id, dom.id), true);
    assert.equal(await s.domains.getByHostname('go.example.com'), undefined);
  });

  void it('generates the instance secret once: 32 random bytes, stable, agreed by concurrent callers', async () => {
    const s = get();
    const [a, b, c] = await Promise.all([s.instanceSecret(), s.instanceSecret(), s.instanceSecret()]);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(b, a);
    assert.equal(c, a);
    assert.equal(await s.instanceSecret(), a);
  });

  void it('calls every invalidation listener exactly once per invalidate', async () => {
    const s = get();
    const first: InvalidationKey[] = [];
    const second: InvalidationKey[] = [];
    s.onInvalidate((k) => first.push(k));
    s.onInvalidate((k) => second.push(k));
    const keys: InvalidationKey[] = [
      { kind: 'link', domain: null, slug: 'abc' },
      { kind: 'link', domain: 'go.example.com', slug: 'xyz' },
      { kind: 'domain', hostname: 'go.example.com' },
    ];
    for (const k of keys) await s.invalidate(k);
    assert.deepEqual(first, keys, 'delivered before invalidate() resolves');
    // Give a PostgreSQL echo of our own NOTIFY time to arrive: it must be ignored.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(first, keys);
    assert.deepEqual(second, keys);
  });

  void it('closes idempotently', async () => {
    const s = get();
    await Promise.all([s.close(), s.close()]);
    await s.close();
  });
}
