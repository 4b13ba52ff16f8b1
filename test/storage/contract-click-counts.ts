import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import type { ClickCountQuery } from '../../src/domain/ports.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeClick, makeLink } from './fixtures.ts';

// Count queries for alert rules (ClickRepo.countByLink & co.), part of the
// click contract both dialects run.

const H = 3_600_000;
const base = Date.parse('2025-04-07T10:00:00.000Z'); // a Monday, on the hour
const at = (ms: number): string => new Date(base + ms).toISOString();

async function seed(get: CurrentStorage) {
  const s = get();
  const ws = await addWorkspace(s);
  const other = await addWorkspace(s);
  const a = makeLink(ws.id);
  const b = makeLink(ws.id);
  const foreign = makeLink(other.id);
  for (const l of [a, b, foreign]) await s.links.insert(l);
  const clicks: Click[] = [
    makeClick(a, { ts: at(0) }), // first instant of the range: in
    makeClick(a, { ts: at(10 * 60_000), isQr: true, country: 'FR', deviceType: 'mobile' }),
    makeClick(a, { ts: at(70 * 60_000), isQr: true, country: null, deviceType: 'mobile' }),
    makeClick(a, { ts: at(80 * 60_000), isBot: true, botReason: 'user-agent', deviceType: 'bot' }),
    makeClick(a, { ts: at(90 * 60_000), isTest: true }), // never counted
    makeClick(a, { ts: at(2 * H) }), // `to` is exclusive: out
    makeClick(b, { ts: at(30 * 60_000), isQr: true }),
    makeClick(foreign, { ts: at(5 * 60_000) }),
  ];
  await s.clicks.insertMany(clicks);
  const q: ClickCountQuery = { workspaceId: ws.id, linkIds: [a.id, b.id, foreign.id], from: new Date(base), to: new Date(base + 2 * H), metric: 'clicks' };
  return { s, a, b, q };
}

export function clickCountContract(get: CurrentStorage): void {
  void it('counts clicks per link in [from, to): test traffic never, bots on request, other workspaces never', async () => {
    const { s, a, b, q } = await seed(get);
    assert.deepEqual(await s.clicks.countByLink(q), [
      { linkId: a.id, count: 3, firstAt: at(0), lastAt: at(70 * 60_000) },
      { linkId: b.id, count: 1, firstAt: at(30 * 60_000), lastAt: at(30 * 60_000) },
    ].sort((x, y) => (x.linkId < y.linkId ? -1 : 1)));
    const withBots = await s.clicks.countByLink({ ...q, includeBots: true, linkIds: [a.id] });
    assert.equal(withBots[0]?.count, 4);
    const scans = await s.clicks.countByLink({ ...q, metric: 'scans' });
    assert.deepEqual(scans.map((r) => [r.linkId, r.count]).sort(), [[a.id, 2], [b.id, 1]].sort());
    assert.deepEqual(await s.clicks.countByLink({ ...q, linkIds: [] }), []);
    assert.deepEqual(await s.clicks.countByLink({ ...q, to: new Date(base) }), []);
  });

  void it('counts per link per hour bucket, empty buckets absent', async () => {
    const { s, a, b, q } = await seed(get);
    const rows = await s.clicks.countByBucket(q, H);
    const key = (r: { linkId: string; bucketStart: string; count: number }) => `${r.linkId === a.id ? 'a' : r.linkId === b.id ? 'b' : '?'} ${r.bucketStart} ${r.count}`;
    assert.deepEqual(rows.map(key).sort(), [`a ${at(0)} 2`, `a ${at(H)} 1`, `b ${at(0)} 1`].sort());
    await assert.rejects(async () => s.clicks.countByBucket(q, 0));
  });

  void it('counts QR scans per country and per device type', async () => {
    const { s, a, b, q } = await seed(get);
    const scans = { ...q, metric: 'scans' as const };
    const countries = await s.clicks.countByDimension(scans, 'country');
    const show = (r: { linkId: string; value: string | null; count: number }) => `${r.linkId === a.id ? 'a' : 'b'} ${r.value ?? '-'} ${r.count}`;
    assert.deepEqual(countries.map(show).sort(), ['a - 1', 'a FR 1', 'b DE 1']);
    const devices = await s.clicks.countByDimension(scans, 'device');
    assert.deepEqual(devices.map(show).sort(), ['a mobile 2', 'b desktop 1']);
    void b;
  });

  void it('lists the oldest matching clicks of a range, up to a limit', async () => {
    const { s, a, b, q } = await seed(get);
    const two = await s.clicks.listInRange(q, 2);
    assert.deepEqual(two.map((c) => [c.linkId, c.ts]), [[a.id, at(0)], [a.id, at(10 * 60_000)]]);
    const all = await s.clicks.listInRange(q, 100);
    assert.equal(all.length, 4);
    assert.ok(all.some((c) => c.linkId === b.id));
  });
}
