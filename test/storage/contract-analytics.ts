import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AnalyticsGroupBy, AnalyticsRepoQuery } from '../../src/domain/analytics/ports.ts';
import { bucketsBetween, formatLocal } from '../../src/domain/analytics/time-buckets.ts';
import { VisitorMemory } from '../../src/domain/analytics/visitor-memory.ts';
import type { Click } from '../../src/domain/clicks/click.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeClick, makeLink } from './fixtures.ts';

// Analytics queries (AnalyticsRepo), part of the contract both dialects run:
// groupings, filters, exact distinct visitors, local-time buckets, and the
// daily rollups answering exactly what raw clicks answer.

const DAY = 86_400_000;
const D0 = Date.parse('2025-05-10T00:00:00.000Z');
const H = 3_600_000;

async function seed(s: Storage) {
  const ws = await addWorkspace(s);
  const other = await addWorkspace(s);
  const a = makeLink(ws.id, { tags: ['promo'], campaign: 'spring' });
  const b = makeLink(ws.id, { domain: 'go.example.com' });
  const foreign = makeLink(other.id);
  for (const l of [a, b, foreign]) await s.links.insert(l);
  const at = (link: typeof a, ms: number, over: Partial<Click>): Click => makeClick(link, { id: newId('click', ms), ts: new Date(ms).toISOString(), ...over });
  const clicks = [
    at(a, D0 + 10 * H, { visitorHash: 'v1', utm: { source: 'news' } }),
    at(a, D0 + 11 * H, { visitorHash: 'v1', isQr: true }), // same visitor, same day
    at(a, D0 + 12 * H, { visitorHash: 'v2', country: 'FR', utm: {} }),
    at(b, D0 + 13 * H, { visitorHash: 'v1' }), // same visitor, other link
    at(a, D0 + 14 * H, { visitorHash: 'v3', country: 'US', isBot: true, botReason: 'user-agent', deviceType: 'bot' }),
    at(a, D0 + 15 * H, { visitorHash: 'v4', country: 'US', isTest: true }),
    at(a, D0 + DAY + 1 * H, { visitorHash: 'v1b' }), // a new day salts a new hash
    at(b, D0 + DAY + 23.5 * H, { visitorHash: 'v5', country: null, isQr: true }),
    at(foreign, D0 + 12 * H, { visitorHash: 'v9' }),
  ];
  await s.clicks.insertMany(clicks);
  const base: AnalyticsRepoQuery = { workspaceId: ws.id, fromMs: D0, toMs: D0 + 2 * DAY, filters: {}, includeBots: false, includeTest: false, groupBy: 'country', bucketStarts: [], limit: null };
  return { ws, a, b, base };
}

const rows = (groups: { key: string | null; clicks: number; visitors: number }[]) => groups.map((g) => [g.key, g.clicks, g.visitors]);

async function foldAll(s: Storage, memory = new VisitorMemory(), batch?: number): Promise<void> {
  // `now` a minute past the newest click: every click is settled.
  while ((await s.analytics.refreshRollups(memory, Date.now() + 60_000, batch)) > 0);
}

export function analyticsContract(get: CurrentStorage): void {
  void it('groups by a click dimension: clicks, distinct visitors per day, top-N ordered by clicks then key', async () => {
    const s = get();
    const { base } = await seed(s);
    assert.deepEqual(rows(await s.analytics.query(base)), [['DE', 4, 2], [null, 1, 1], ['FR', 1, 1]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, limit: 1 })), [['DE', 4, 2]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, includeBots: true })), [['DE', 4, 2], [null, 1, 1], ['FR', 1, 1], ['US', 1, 1]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, includeBots: true, includeTest: true })), [['DE', 4, 2], ['US', 2, 2], [null, 1, 1], ['FR', 1, 1]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'qr' })), [['web', 4, 3], ['qr', 2, 2]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'utm_source' })), [['newsletter', 4, 3], [null, 1, 1], ['news', 1, 1]]);
  });

  void it('groups by link attributes: link, tag, campaign, domain', async () => {
    const s = get();
    const { a, b, base } = await seed(s);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link' })), [[a.id, 4, 3], [b.id, 2, 2]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'tag' })), [['promo', 4, 3]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'campaign' })), [['spring', 4, 3], [null, 2, 2]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'domain' })), [[null, 4, 3], ['go.example.com', 2, 2]]);
  });

  void it('filters on every field, ANDed', async () => {
    const s = get();
    const { a, b, base } = await seed(s);
    const q = (filters: AnalyticsRepoQuery['filters'], groupBy: AnalyticsGroupBy = 'link') => s.analytics.query({ ...base, filters, groupBy }).then(rows);
    assert.deepEqual(await q({ country: 'DE' }), [[a.id, 3, 2], [b.id, 1, 1]]);
    assert.deepEqual(await q({ tag: 'promo' }, 'country'), [['DE', 3, 2], ['FR', 1, 1]]);
    assert.deepEqual(await q({ campaign: 'spring', qr: true }), [[a.id, 1, 1]]);
    assert.deepEqual(await q({ qr: true }), [[a.id, 1, 1], [b.id, 1, 1]]);
    assert.deepEqual(await q({ domain: 'go.example.com' }), [[b.id, 2, 2]]);
    assert.deepEqual(await q({ domain: null }), [[a.id, 4, 3]]);
    assert.deepEqual(await q({ link_id: b.id, country: 'DE' }, 'country'), [['DE', 1, 1]]);
    assert.deepEqual(await q({ utm_source: 'news', device: 'desktop', browser: 'Chrome', os: 'Linux', city: 'Berlin', referrer_domain: 'news.example.org' }), [[a.id, 1, 1]]);
    assert.deepEqual(await q({ country: 'XX' }), []);
  });

  void it('buckets time in the query zone, each bucket keyed by its local start', async () => {
    const s = get();
    const { base } = await seed(s);
    const series = async (tz: string, fromMs: number, toMs: number, interval: 'hour' | 'day') => {
      const b = bucketsBetween(tz, fromMs, toMs, interval, 100);
      assert.ok(b);
      const groups = await s.analytics.query({ ...base, fromMs, toMs, groupBy: 'time', bucketStarts: b.starts });
      const byStart = new Map(groups.map((g) => [Number(g.key), g]));
      return b.starts.map((start, i) => [formatLocal(tz, b.keys[i] ?? start), byStart.get(start)?.clicks ?? 0, byStart.get(start)?.visitors ?? 0]);
    };
    assert.deepEqual(await series('UTC', D0, D0 + 2 * DAY, 'day'), [['2025-05-10T00:00:00+00:00', 4, 2], ['2025-05-11T00:00:00+00:00', 2, 2]]);
    // New York is UTC-4 in May: the local 10th runs to 04:00Z on the 11th and takes the 01:00Z click.
    const ny = Date.parse('2025-05-10T04:00:00Z');
    assert.deepEqual(await series('America/New_York', ny, ny + 2 * DAY, 'day'), [['2025-05-10T00:00:00-04:00', 5, 3], ['2025-05-11T00:00:00-04:00', 1, 1]]);
    assert.deepEqual(await series('Asia/Kolkata', D0 + 9 * H, D0 + 12 * H, 'hour'), [
      ['2025-05-10T14:00:00+05:30', 0, 0], // 08:30Z-09:30Z, clipped to start at 09:00Z
      ['2025-05-10T15:00:00+05:30', 1, 1],
      ['2025-05-10T16:00:00+05:30', 1, 1],
      ['2025-05-10T17:00:00+05:30', 0, 0],
    ]);
  });

  void it('rollups answer exactly what raw clicks answer, before and after more clicks arrive', async () => {
    const s = get();
    const { a, base } = await seed(s);
    const dims: AnalyticsGroupBy[] = ['time', 'link', 'domain', 'country', 'city', 'device', 'browser', 'os', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'qr'];
    const all = async () => {
      const out: unknown[] = [];
      for (const groupBy of dims) {
        const bucketStarts = groupBy === 'time' ? [D0, D0 + DAY] : [];
        const groups = await s.analytics.query({ ...base, groupBy, bucketStarts });
        out.push(groupBy === 'time' ? rows(groups).sort() : rows(groups));
      }
      // One link's daily series and total: the 'link' rollup rows.
      out.push(rows(await s.analytics.query({ ...base, groupBy: 'time', bucketStarts: [D0, D0 + DAY], filters: { link_id: a.id } })).sort());
      out.push(rows(await s.analytics.query({ ...base, groupBy: 'link', filters: { link_id: a.id } })));
      return out;
    };
    const raw = await all(); // no rollup yet: cursor at the start, everything raw
    const first = new VisitorMemory();
    await foldAll(s, first, 3); // batches of 3 cross days and links
    assert.deepEqual(await all(), raw);
    // More clicks on day 1: a repeat visitor, a new one. The tail past the cursor counts until folded.
    await s.clicks.insertMany([
      makeClick(a, { id: newId('click', D0 + DAY + 2 * H), ts: new Date(D0 + DAY + 2 * H).toISOString(), visitorHash: 'v1b' }),
      makeClick(a, { id: newId('click', D0 + DAY + 3 * H), ts: new Date(D0 + DAY + 3 * H).toISOString(), visitorHash: 'v7', country: 'FR' }),
    ]);
    const tail = await s.analytics.query({ ...base, groupBy: 'country' });
    assert.deepEqual(rows(tail).map((r) => r.slice(0, 2)), [['DE', 5], ['FR', 2], [null, 1]]);
    await s.analytics.releaseRollups(first); // a graceful stop gives the lease back...
    await foldAll(s, new VisitorMemory()); // ...and a fresh memory (a restart) re-reads day 1 before adding to it
    const folded = await all();
    const rebuilder = new VisitorMemory();
    await s.analytics.resetRollups(rebuilder, Date.now()); // the rebuild takes the lease from whoever held it
    assert.deepEqual(await all(), folded, 'after reset everything is raw again, and agrees');
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'country' })), [['DE', 5, 2], ['FR', 2, 2], [null, 1, 1]]);
    await foldAll(s, rebuilder);
    assert.deepEqual(await all(), folded, 'a rebuild from raw clicks gives the same rollups');
  });

  void it('ranges count only their days: running totals minus the total before, late clicks raise every later day', async () => {
    const s = get();
    const { a, b, base } = await seed(s);
    const memory = new VisitorMemory();
    await foldAll(s, memory);
    const day1 = { ...base, fromMs: D0 + DAY, toMs: D0 + 2 * DAY };
    assert.deepEqual(rows(await s.analytics.query({ ...day1, groupBy: 'link' })), [[a.id, 1, 1], [b.id, 1, 1]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, fromMs: D0 + 2 * DAY, toMs: D0 + 5 * DAY, groupBy: 'link' })), []);
    assert.deepEqual(rows(await s.analytics.query({ ...base, fromMs: D0 - 5 * DAY, toMs: D0, groupBy: 'link' })), []);
    // A click minted now for a day already folded (day 0) while day 1 exists: day 1's running total must rise too.
    const late = D0 + 20 * H;
    await s.clicks.insertMany([makeClick(b, { ts: new Date(late).toISOString(), visitorHash: 'v8', country: 'FR' })]);
    const expectWide = rows(await s.analytics.query({ ...base, groupBy: 'link' })); // from raw: the click is in the tail
    while ((await s.analytics.refreshRollups(memory, Date.now() + 60_000)) > 0);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link' })), expectWide);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link' })), [[a.id, 4, 3], [b.id, 3, 3]]);
    assert.deepEqual(rows(await s.analytics.query({ ...day1, groupBy: 'link' })), [[a.id, 1, 1], [b.id, 1, 1]], 'day 1 alone is unchanged');
    assert.deepEqual(rows(await s.analytics.query({ ...day1, groupBy: 'time', bucketStarts: [D0 + DAY], filters: { link_id: b.id } })), [[String(D0 + DAY), 1, 1]]);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'time', bucketStarts: [D0, D0 + DAY] })).sort(), [[String(D0), 5, 3], [String(D0 + DAY), 2, 2]].sort());

    // Day 3 folded first; then ONE batch with day 0 (late) and day 2 for the same link:
    // day 1 (between the batch's days) gains day 0's click, day 3 (after them) gains both.
    const on = (day: number, visitorHash: string) => makeClick(a, { ts: new Date(D0 + day * DAY + 5 * H).toISOString(), visitorHash });
    await s.clicks.insertMany([on(3, 'w3')]);
    while ((await s.analytics.refreshRollups(memory, Date.now() + 60_000)) > 0);
    await s.clicks.insertMany([on(0, 'w0'), on(2, 'w2'), on(0, 'w0')]);
    assert.equal(await s.analytics.refreshRollups(memory, Date.now() + 60_000), 3, 'one batch');
    const days = [0, 1, 2, 3].map((i) => D0 + i * DAY);
    const aDaily = await s.analytics.query({ ...base, toMs: D0 + 4 * DAY, groupBy: 'time', bucketStarts: days, filters: { link_id: a.id } });
    assert.deepEqual(rows(aDaily).sort(), [[String(days[0]), 5, 3], [String(days[1]), 1, 1], [String(days[2]), 1, 1], [String(days[3]), 1, 1]].sort());
    for (const [from, to, clicks] of [[1, 2, 1], [1, 4, 3], [2, 4, 2], [3, 4, 1], [0, 4, 8]] as const) {
      const got = await s.analytics.query({ ...base, fromMs: D0 + from * DAY, toMs: D0 + to * DAY, groupBy: 'link', filters: { link_id: a.id } });
      assert.deepEqual(rows(got).map((r) => r[1]), [clicks], `days ${from}-${to}`);
    }
    await s.analytics.resetRollups();
    const rawDaily = await s.analytics.query({ ...base, toMs: D0 + 4 * DAY, groupBy: 'time', bucketStarts: days, filters: { link_id: a.id } });
    assert.deepEqual(rows(rawDaily).sort(), rows(aDaily).sort(), 'raw clicks agree');
  });

  void it('one rollup worker folds at a time: the lease passes on release or expiry, and to a rebuild', async () => {
    const s = get();
    const { a, base } = await seed(s);
    const raw = rows(await s.analytics.query({ ...base, groupBy: 'link' }));
    const one = new VisitorMemory('one');
    const two = new VisitorMemory('two');
    const now = Date.now() + 60_000;
    assert.equal(await s.analytics.refreshRollups(one, now, 2), 2);
    assert.equal(await s.analytics.refreshRollups(two, now, 2), 0, 'two waits while one holds the lease');
    assert.equal(await s.analytics.refreshRollups(two, now + 29_000, 2), 0, 'still within the 30 s lease');
    // one stalls past its lease: two takes over and re-reads the day's folded clicks for its visitor sets.
    assert.equal(await s.analytics.refreshRollups(two, now + 31_000, 2), 2);
    assert.equal(await s.analytics.refreshRollups(one, now + 32_000, 2), 0, 'one lost the lease');
    await s.analytics.releaseRollups(one); // not its lease: changes nothing
    assert.equal(await s.analytics.refreshRollups(one, now + 32_000, 2), 0);
    await s.analytics.releaseRollups(two);
    while ((await s.analytics.refreshRollups(one, now + 33_000, 2)) > 0);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link' })), raw);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'time', bucketStarts: [D0, D0 + DAY] })).sort(), [[String(D0), 4, 2], [String(D0 + DAY), 2, 2]].sort());
    // A rebuild takes the lease from the holder at once; the holder then folds nothing until it is given back.
    const rebuild = new VisitorMemory('rebuild');
    await s.analytics.resetRollups(rebuild, now + 34_000);
    assert.equal(await s.analytics.refreshRollups(one, now + 34_000, 100), 0);
    assert.ok((await s.analytics.refreshRollups(rebuild, now + 34_000, 100)) > 0);
    await s.analytics.releaseRollups(rebuild);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link', filters: { link_id: a.id } })), [raw[0]]);
  });

  void it('two rollup workers never count a click twice', async () => {
    const s = get();
    const { base } = await seed(s);
    const raw = rows(await s.analytics.query({ ...base, groupBy: 'link' }));
    const one = new VisitorMemory();
    const two = new VisitorMemory();
    const now = Date.now() + 60_000;
    for (let i = 0; i < 10; i++) await s.analytics.refreshRollups(i % 2 === 0 ? one : two, now, 2);
    assert.deepEqual(rows(await s.analytics.query({ ...base, groupBy: 'link' })), raw);
    const n = await s.analytics.query({ ...base, groupBy: 'time', bucketStarts: [D0] });
    assert.deepEqual(rows(n), [[String(D0), 6, 4]]);
  });

  void it('lists clicks for exports in id order, keyset-paged, with the same filters', async () => {
    const s = get();
    const { a, ws } = await seed(s);
    const sel = { workspaceId: ws.id, fromMs: 0, toMs: 8.64e15, filters: {}, includeBots: false, includeTest: false };
    const first = await s.analytics.listClicks(sel, null, 4);
    const rest = await s.analytics.listClicks(sel, first[3]?.id ?? null, 100);
    const ids = [...first, ...rest].map((c) => c.id);
    assert.equal(ids.length, 6);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal((await s.analytics.listClicks({ ...sel, includeBots: true, includeTest: true }, null, 100)).length, 8);
    const de = await s.analytics.listClicks({ ...sel, filters: { country: 'DE', link_id: a.id } }, null, 100);
    assert.deepEqual(de.map((c) => c.visitorHash), ['v1', 'v1', 'v1b']);
  });
}
