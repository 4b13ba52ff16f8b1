import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LinkHealthState } from '../../src/domain/links/link-monitor.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, makeClick, makeLink } from './fixtures.ts';

// The link monitors' state (migration 0005_link_health): health-check claims,
// exactly-once notices, and the scans the lifecycle sweep and UTM policy use.

const T = '2026-03-01T00:00:00.000Z';
const at = (ms: number): string => new Date(Date.parse(T) + ms).toISOString();

export function linkMonitorContract(get: CurrentStorage): void {
  void it('claims a due health check once, keeps the state, and drops it with the link', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id);
    await s.links.insert(link);
    const claims = await Promise.all([s.linkMonitor.claimHealthCheck(link, T, at(60_000)), s.linkMonitor.claimHealthCheck(link, T, at(60_000))]);
    assert.deepEqual(claims.sort(), [false, true], 'the first check of a link: one claimer');
    assert.equal(await s.linkMonitor.claimHealthCheck(link, at(30_000), at(90_000)), false, 'leased until 60 s');
    const state: LinkHealthState = {
      linkId: link.id,
      workspaceId: ws.id,
      status: 'suspect',
      consecutiveFailures: 1,
      failingSince: T,
      lastCheck: { url: link.url, checkedAt: T, status: 503, errorClass: 'http_status', error: 'HTTP 503', durationMs: 12, finalUrl: link.url, chain: [link.url] },
      nextCheckAt: at(120_000),
      updatedAt: T,
    };
    await s.linkMonitor.saveHealth(state);
    assert.deepEqual(await s.linkMonitor.listHealth([link.id, 'lnk_unknown']), [state]);
    assert.equal(await s.linkMonitor.claimHealthCheck(link, at(119_999), at(200_000)), false);
    assert.equal(await s.linkMonitor.claimHealthCheck(link, at(120_000), at(200_000)), true);
    await s.links.delete(ws.id, link.id);
    assert.deepEqual(await s.linkMonitor.listHealth([link.id]), []);
  });

  void it('records a notice key once per link', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const [a, b] = [makeLink(ws.id), makeLink(ws.id)];
    await s.links.insert(a);
    await s.links.insert(b);
    assert.equal(await s.linkMonitor.recordNotice(a, 'expired:x', T), true);
    assert.equal(await s.linkMonitor.recordNotice(a, 'expired:x', T), false);
    assert.equal(await s.transaction((tx) => tx.linkMonitor.recordNotice(a, 'expired:x', T)), false);
    assert.equal(await s.linkMonitor.recordNotice(b, 'expired:x', T), true, 'keys are per link');
  });

  void it('scans expiring links and links with scheduled changes across workspaces, by id pages', async () => {
    const s = get();
    const [w1, w2] = [await addWorkspace(s), await addWorkspace(s)];
    const soon = [makeLink(w1.id, { expiresAt: at(3_600_000) }), makeLink(w2.id, { expiresAt: at(7_200_000) })];
    const other = [makeLink(w1.id, { expiresAt: at(30 * 86_400_000) }), makeLink(w1.id), makeLink(w2.id, { scheduledChanges: [{ at: T, action: 'disable' }] })];
    for (const l of [...soon, ...other]) await s.links.insert(l);
    const first = await s.linkMonitor.listExpiringBetween(T, at(86_400_000), { limit: 1 });
    const rest = await s.linkMonitor.listExpiringBetween(T, at(86_400_000), { afterId: first[0]?.id, limit: 10 });
    assert.deepEqual([...first, ...rest].map((l) => l.id), soon.map((l) => l.id).sort());
    assert.deepEqual((await s.linkMonitor.listWithScheduledChanges({ limit: 10 })).map((l) => l.id), [other[2]?.id]);
  });

  void it('counts human clicks in a range, QR only on request; sums UTM usage of non-test links', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const link = makeLink(ws.id, { utm: { source: 'mail' } });
    await s.links.insert(link);
    await s.links.insert(makeLink(ws.id, { utm: { source: 'mail' } }));
    await s.links.insert(makeLink(ws.id, { utm: { source: 'Mail' }, isTest: true }));
    const click = (ms: number, over = {}) => makeClick(link, { id: newId('click', Date.parse(at(ms))), ts: at(ms), ...over });
    await s.clicks.insertMany([click(0), click(1000, { isQr: true }), click(2000, { isBot: true }), click(3000, { isTest: true }), click(10_000)]);
    assert.equal(await s.linkMonitor.countLinkClicks(link.id, T, at(10_000)), 2);
    assert.equal(await s.linkMonitor.countLinkClicks(link.id, T, at(10_000), { qr: true }), 1);
    assert.equal(await s.linkMonitor.countLinkClicks(link.id, T, at(10_000), { includeBots: true }), 3, 'bots on request; test traffic never');
    assert.deepEqual(await s.linkMonitor.utmUsage(ws.id), [{ utm: { source: 'mail' }, links: 2 }]);
  });
}
