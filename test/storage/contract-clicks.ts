import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import { clickCountContract } from './contract-click-counts.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeClick, makeLink } from './fixtures.ts';

export function clickContract(get: CurrentStorage): void {
  clickCountContract(get);

  void it('round-trips every field of a click and counts them all', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id, { domain: 'go.example.com' });
    await s.links.insert(link);
    const full = makeClick(link, { method: 'HEAD', isBot: true, botReason: 'head', isQr: true, isTest: true, ip: '203.0.113.9', deviceType: 'bot' });
    const sparse = makeClick(link, { referrer: null, referrerDomain: null, userAgent: null, browser: null, browserVersion: null, os: null, country: null, region: null, city: null, utm: {}, deviceType: 'unknown' });
    await s.clicks.insertMany([full, sparse]);
    await s.clicks.insertMany([]);
    const page = await s.clicks.listByLink(ws.id, link.id, { limit: 10 });
    assert.deepEqual(page, { items: [sparse, full], nextCursor: null });
    assert.equal(await s.clicks.countAll(), 2);
  });

  void it('stores large batches (past every per-statement chunk) and pages them newest first', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    // 3,000 clicks cross every writer's per-statement chunk (64 rows on SQLite, 2,048 on PostgreSQL).
    const clicks = Array.from({ length: 3000 }, () => makeClick(link));
    await s.clicks.insertMany(clicks);
    assert.equal(await s.clicks.countAll(), 3000);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await s.clicks.listByLink(ws.id, link.id, cursor === undefined ? { limit: 700 } : { cursor, limit: 700 });
      seen.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, clicks.map((c) => c.id).reverse());
  });

  void it('writes a batch all or nothing', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    const first = makeClick(link);
    await s.clicks.insertMany([first]);
    const batch = [...Array.from({ length: 100 }, () => makeClick(link)), { ...first }];
    await assert.rejects(s.clicks.insertMany(batch));
    assert.equal(await s.clicks.countAll(), 1);
  });

  void it('classifies stats: clicks are human non-test (QR included), scans their QR share, bots and test apart', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    const quiet = makeLink(ws.id);
    await s.links.insert(link);
    await s.links.insert(quiet);
    const kinds: Partial<Click>[] = [
      {}, // human click
      {}, // another
      { isQr: true }, // human scan
      { isBot: true, botReason: 'user-agent' },
      { isBot: true, isQr: true, botReason: 'preview' }, // a bot following a QR URL is a bot, not a scan
      { isTest: true },
      { isTest: true, isQr: true },
      { isTest: true, isBot: true, botReason: 'head' }, // test first: counted once, as test
    ];
    await s.clicks.insertMany(kinds.map((k) => makeClick(link, k)));
    assert.deepEqual(await s.clicks.statsByLink(ws.id, link.id), { clicks: 3, scans: 1, bots: 2, test: 3 });
    assert.deepEqual(await s.clicks.statsByLink(ws.id, quiet.id), { clicks: 0, scans: 0, bots: 0, test: 0 });
  });

  void it('keeps workspaces apart', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const other = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    await s.clicks.insertMany([makeClick(link), makeClick(link, { isQr: true })]);
    assert.deepEqual(await s.clicks.listByLink(other.id, link.id, { limit: 10 }), { items: [], nextCursor: null });
    assert.deepEqual(await s.clicks.statsByLink(other.id, link.id), { clicks: 0, scans: 0, bots: 0, test: 0 });
    assert.equal((await s.clicks.statsByLink(ws.id, link.id)).clicks, 2);
  });

  void it('keeps clicks of a deleted link (the click log is append-only)', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    await s.links.delete(ws.id, link.id);
    await s.clicks.insertMany([makeClick(link)]); // a group commit racing the delete must not fail
    assert.equal(await s.clicks.countAll(), 1);
  });

  void it('a click batch written while a transaction is open is not swept into its rollback', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const tx = s.transaction(async (repos) => {
      await repos.links.insert(makeLink(ws.id, { slug: 'doomed' }));
      inside();
      await paused;
      throw new Error('roll back');
    });
    await entered;
    const batch = s.clicks.insertMany([makeClick(link), makeClick(link)]); // may wait for the transaction; must not join it
    release();
    await assert.rejects(tx, /roll back/);
    await batch;
    assert.equal(await s.clicks.countAll(), 2);
    assert.equal(await s.links.slugExists(null, 'doomed'), false);
  });
}
