import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Endpoint } from '../../src/domain/delivery/endpoint.ts';
import type { DeliveryOutcome, NewDelivery } from '../../src/domain/delivery/ports.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { CurrentStorage } from './contract.ts';
import { addWorkspace, nextTime } from './fixtures.ts';

// Events, endpoints, the delivery queue, idempotency keys and adapter state.

const T = '2026-03-01T00:00:00.000Z';
const at = (ms: number): string => new Date(Date.parse(T) + ms).toISOString();

function makeEndpoint(workspaceId: string, over: Partial<Endpoint> = {}): Endpoint {
  const now = nextTime();
  return {
    id: newId('endpoint'), workspaceId, kind: 'http', name: 'Orders', url: 'https://hooks.example.com/in', settings: { headers: { 'x-token': 'abc' } },
    events: ['link.created', 'link.clicked'], filter: { tags: ['promo'], include_bots: true }, class: 'alert', owner: 'ops@example.com', rateLimitPerSecond: 2.5,
    enabled: true, disabledReason: null, disabledAt: null, failingSince: null,
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: now, expiresAt: null }], createdAt: now, updatedAt: now, ...over,
  };
}

function makeEvent(workspaceId: string, type = 'link.created', timestamp = T): EventEnvelope {
  return { id: newId('event'), type, timestamp, workspace_id: workspaceId, data: { note: 'ü → 🎉', n: 1 } };
}

async function setup(s: Storage, events = 1) {
  const ws = await addWorkspace(s);
  const ep = makeEndpoint(ws.id);
  await s.endpoints.insert(ep);
  const evs = Array.from({ length: events }, () => makeEvent(ws.id));
  await s.events.insertMany(evs);
  const rows: NewDelivery[] = evs.map((e) => ({ id: newId('delivery'), eventId: e.id, endpointId: ep.id, workspaceId: ws.id, eventType: e.type, status: 'pending', createdAt: e.timestamp }));
  await s.deliveries.insertMany(rows);
  return { ws, ep, evs, rows };
}

const claim = (s: Storage, owner: string, now: string, limit = 10) => s.deliveries.claim({ owner, now, leaseMs: 60_000, limit });
const outcome = (d: { id: string }, owner: string, attempt: number, over: Partial<DeliveryOutcome> = {}): DeliveryOutcome => ({
  id: d.id, owner, attempt, now: at(1000), status: 'succeeded', nextAttemptAt: null, lastStatus: 200, lastError: null, lastErrorClass: null, ...over,
});

export function deliveryContract(get: CurrentStorage): void {
  void it('round-trips events (envelope as written), endpoints, and lists them newest first', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const e1 = makeEvent(ws.id);
    const e2 = makeEvent(ws.id, 'qr.scanned');
    await s.events.insert(e1);
    await s.events.insertMany([e2]);
    assert.deepEqual(await s.events.getById(ws.id, e1.id), e1);
    assert.equal(JSON.stringify(await s.events.getById(ws.id, e1.id)), JSON.stringify(e1), 'key order survives');
    assert.deepEqual((await s.events.list(ws.id, { type: 'qr.scanned' }, { limit: 10 })).items, [e2]);
    assert.deepEqual((await s.events.getMany([e1.id, e2.id])).length, 2);
    const ep = makeEndpoint(ws.id);
    await s.endpoints.insert(ep);
    assert.deepEqual(await s.endpoints.getById(ws.id, ep.id), ep);
    assert.equal(await s.endpoints.getById((await addWorkspace(s)).id, ep.id), undefined, 'workspaces apart');
    const changed = { ...ep, name: null, rateLimitPerSecond: null, events: ['alert.triggered'], filter: {}, updatedAt: nextTime() };
    await s.endpoints.update(changed);
    assert.deepEqual((await s.endpoints.list(ws.id, { limit: 10 })).items, [changed]);
  });

  void it('fans out to enabled endpoints and those disabled for failing; disable/enable change state exactly once', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const on = makeEndpoint(ws.id);
    const failing = makeEndpoint(ws.id);
    const off = makeEndpoint(ws.id, { enabled: false, disabledReason: 'manual', disabledAt: T });
    for (const e of [on, failing, off]) await s.endpoints.insert(e);
    assert.equal(await s.endpoints.markFailing(failing.id, at(0)), at(0));
    assert.equal(await s.endpoints.markFailing(failing.id, at(5000)), at(0), 'the streak keeps its start');
    const results = await Promise.all([s.endpoints.disable(failing.id, 'failing', at(1), at(60_000)), s.endpoints.disable(failing.id, 'failing', at(1), at(60_000))]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.deepEqual((await s.endpoints.listForFanOut([ws.id])).map((e) => e.id).sort(), [on.id, failing.id].sort());
    assert.deepEqual(await s.endpoints.claimProbes(at(59_999), at(120_000), 10), []);
    assert.deepEqual((await s.endpoints.claimProbes(at(60_000), at(120_000), 10)).map((e) => e.id), [failing.id]);
    assert.deepEqual(await s.endpoints.claimProbes(at(60_000), at(120_000), 10), [], 'claimed: its next probe moved');
    assert.equal(await s.endpoints.enableIf(failing.id, 'gone', at(2)), false);
    assert.equal(await s.endpoints.enableIf(failing.id, 'failing', at(2)), true);
    const back = await s.endpoints.getById(ws.id, failing.id);
    assert.deepEqual([back?.enabled, back?.disabledReason, back?.failingSince], [true, null, null]);
  });

  void it('reserves rate-limit slots one interval apart, from now when idle', async () => {
    const s = get();
    const { ep } = await setup(s);
    const t0 = Date.parse(T);
    const slots = await Promise.all([0, 1, 2].map(() => s.endpoints.reserveSlot(ep.id, t0, 500)));
    assert.deepEqual(slots.sort(), [t0, t0 + 500, t0 + 1000]);
    assert.equal(await s.endpoints.reserveSlot(ep.id, t0 + 10_000, 500), t0 + 10_000, 'an idle endpoint starts now');
  });

  void it('one delivery per (event, endpoint); claims lease due rows once, count the attempt, and honour due times', async () => {
    const s = get();
    const { rows } = await setup(s, 6);
    assert.equal(await s.deliveries.insertMany(rows.map((r) => ({ ...r, id: newId('delivery') }))), 0, 'duplicates ignored');
    assert.deepEqual(await claim(s, 'early', at(-1)), [], 'not due before its time');
    const claims = await Promise.all(['w1', 'w2', 'w3'].map((w) => claim(s, w, T, 2)));
    const ids = claims.flat().map((d) => d.id);
    assert.equal(new Set(ids).size, 6, 'no delivery claimed twice');
    for (const d of claims.flat()) assert.deepEqual([d.status, d.attempts, d.leaseExpiresAt], ['delivering', 1, at(60_000)]);
    assert.deepEqual(await claim(s, 'w4', at(59_999)), [], 'leased');
    assert.equal((await claim(s, 'w4', at(60_000))).length, 6, 'lease expired: claimable again');
  });

  void it('finish and postpone need the lease owner and attempt; a stale worker cannot overwrite a newer attempt', async () => {
    const s = get();
    const { ws, rows } = await setup(s);
    const [first] = await claim(s, 'a', T);
    const [second] = await claim(s, 'b', at(60_000));
    assert.equal(second?.attempts, 2);
    assert.equal(await s.deliveries.finish(outcome(first!, 'a', 1)), false, 'stale owner');
    assert.equal(await s.deliveries.finish(outcome(first!, 'b', 1)), false, 'stale attempt');
    assert.equal(await s.deliveries.postpone(first!.id, 'a', 1, at(70_000), at(60_000)), false);
    assert.equal(await s.deliveries.finish(outcome(second, 'b', 2, { status: 'retrying', nextAttemptAt: at(90_000), lastStatus: 500, lastError: 'HTTP 500', lastErrorClass: 'http_status' })), true);
    assert.equal(await s.deliveries.finish(outcome(second, 'b', 2)), false, 'only once');
    const d = await s.deliveries.getById(ws.id, rows[0]!.id);
    assert.deepEqual([d?.status, d?.attempts, d?.nextAttemptAt, d?.lastStatus, d?.leaseOwner], ['retrying', 2, at(90_000), 500, null]);
  });

  void it('finish and finishMany write the attempt log with the outcome; each is lease-guarded, a stale one still logs its attempt', async () => {
    const s = get();
    const { ws, ep, rows } = await setup(s, 3);
    const claimed = await claim(s, 'w', T);
    assert.equal(claimed.length, 3);
    const [a, b, c] = claimed as [(typeof claimed)[0], (typeof claimed)[0], (typeof claimed)[0]];
    const log = (id: string, n: number, status: number) => ({
      deliveryId: id, n, at: at(500), request: { method: 'POST', url: ep.url!, headers: { 'webhook-id': id }, body: '{}' },
      response: { status, headers: {}, body: 'ok' }, durationMs: 7, errorClass: null, error: null,
    });
    assert.equal(await s.deliveries.finish(outcome(a, 'w', 1, { log: log(a.id, 1, 200) })), true);
    assert.deepEqual((await s.deliveries.listAttempts(a.id)).map((x) => [x.n, x.response?.status]), [[1, 200]]);
    // c's lease passes to another worker before w reports on it.
    await s.deliveries.postpone(c.id, 'w', 1, at(-1), T);
    await claim(s, 'x', at(1), 1);
    const oks = await s.deliveries.finishMany([
      outcome(b, 'w', 1, { status: 'retrying', nextAttemptAt: at(9000), lastStatus: 503, log: log(b.id, 1, 503) }),
      outcome(c, 'w', 1, { log: log(c.id, 1, 200) }),
      outcome(a, 'w', 1, { log: log(a.id, 1, 200) }),
    ]);
    assert.deepEqual(oks, [true, false, false], 'c: stale lease; a: finished already');
    const gotB = await s.deliveries.getById(ws.id, b.id);
    assert.deepEqual([gotB?.status, gotB?.nextAttemptAt, gotB?.lastStatus, gotB?.leaseOwner], ['retrying', at(9000), 503, null]);
    const gotC = await s.deliveries.getById(ws.id, c.id);
    assert.deepEqual([gotC?.status, gotC?.leaseOwner], ['delivering', 'x']);
    assert.deepEqual((await s.deliveries.listAttempts(b.id)).map((x) => [x.n, x.response?.status]), [[1, 503]]);
    assert.deepEqual((await s.deliveries.listAttempts(c.id)).map((x) => x.n), [1], 'the request was made: logged even though stale');
    assert.deepEqual((await s.deliveries.listAttempts(a.id)).map((x) => x.n), [1], 'a repeated (delivery, n) is ignored');
    assert.deepEqual(await s.deliveries.finishMany([]), []);
    // Inside a caller's transaction, rolled back with it.
    const [again] = await claim(s, 'y', at(10_000), 1);
    assert.deepEqual([again?.id, again?.attempts], [b.id, 2], 'b is due again');
    await assert.rejects(
      s.transaction(async (tx) => {
        assert.equal(await tx.deliveries.finishMany([outcome(again!, 'y', again!.attempts, { log: log(again!.id, again!.attempts, 200) })]).then((r) => r[0]), true);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal((await s.deliveries.getById(ws.id, again!.id))?.status, 'delivering');
    assert.deepEqual((await s.deliveries.listAttempts(b.id)).map((x) => x.n), [1], 'attempt 2 rolled back with its outcome');
    assert.equal(rows.length, 3);
  });

  void it('postponeMany gives back only the attempts this owner still holds, uncounted, in one call', async () => {
    const s = get();
    const { ws, rows } = await setup(s, 4);
    const mine = await claim(s, 'w', T, 3);
    assert.equal(mine.length, 3);
    const [a, b, c] = mine as [(typeof mine)[0], (typeof mine)[0], (typeof mine)[0]];
    // c's lease expires and another worker takes it: w's attempt 1 on it is stale.
    await s.deliveries.postpone(c.id, 'w', 1, at(-1), T);
    const [taken] = await claim(s, 'x', at(1), 1);
    assert.equal(taken?.id, c.id);
    const leases = [{ id: a.id, attempt: 1, until: at(5000) }, { id: b.id, attempt: 1, until: at(7500) }, { id: c.id, attempt: 1, until: at(5000) }];
    assert.equal(await s.deliveries.postponeMany(leases, 'other-owner', at(10)), 0, 'not the lease owner');
    assert.equal(await s.deliveries.postponeMany([{ id: a.id, attempt: 2, until: at(5000) }], 'w', at(10)), 0, 'not the attempt it claimed');
    assert.equal(await s.deliveries.postponeMany(leases, 'w', at(10)), 2);
    for (const [d, until] of [[a, at(5000)], [b, at(7500)]] as const) {
      const p = await s.deliveries.getById(ws.id, d.id);
      assert.deepEqual([p?.status, p?.attempts, p?.nextAttemptAt, p?.leaseOwner, p?.rateSlotAt], ['pending', 0, until, null, null]);
    }
    const other = await s.deliveries.getById(ws.id, c.id);
    assert.deepEqual([other?.status, other?.leaseOwner, other?.attempts], ['delivering', 'x', 1], "the newer worker's lease stands");
    assert.equal(await s.deliveries.postponeMany([], 'w', at(10)), 0);
    assert.equal(rows.length, 4);
  });

  void it('postpone and release give the attempt back; requeue paces a replay and keeps counting attempts', async () => {
    const s = get();
    const { ws, ep, rows } = await setup(s, 3);
    const claimed = await claim(s, 'w', T);
    assert.equal(await s.deliveries.postpone(claimed[0]!.id, 'w', 1, at(2000), T), true);
    assert.equal(await s.deliveries.release('w', at(10)), 2);
    const p = await s.deliveries.getById(ws.id, claimed[0]!.id);
    assert.deepEqual([p?.status, p?.attempts, p?.nextAttemptAt, p?.rateSlotAt], ['pending', 0, at(2000), at(2000)], 'postponed: uncounted, holding its slot');
    assert.deepEqual((await s.deliveries.countByStatus(ep.id)).pending, 3, 'released: back in the queue');
    for (const d of await claim(s, 'y', at(3000))) await s.deliveries.finish(outcome(d, 'y', d.attempts, { status: 'failed', now: at(3000) }));
    assert.equal(await s.deliveries.requeue({ workspaceId: ws.id, endpointId: ep.id, statuses: ['failed'] }, at(5000), 250), 3);
    const after = (await s.deliveries.list(ws.id, { endpointId: ep.id }, { limit: 10 })).items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    assert.deepEqual(after.map((d) => d.nextAttemptAt), [at(5000), at(5250), at(5500)]);
    assert.ok(after.every((d) => d.status === 'pending' && d.retryBase === d.attempts && d.completedAt === null));
    assert.deepEqual(await s.deliveries.countByStatus(ep.id), { pending: 3 });
    assert.equal(rows.length, 3);
  });

  void it('keeps the attempt log, filters the delivery list, holds and skips an endpoint queue', async () => {
    const s = get();
    const { ws, ep, rows, evs } = await setup(s, 2);
    const req = { method: 'POST', url: ep.url!, headers: { 'webhook-id': evs[0]!.id }, body: '{}' };
    const attempt = { deliveryId: rows[0]!.id, n: 1, at: T, request: req, response: { status: 502, headers: { server: 'x' }, body: 'bad gateway' }, durationMs: 12, errorClass: 'http_status' as const, error: 'HTTP 502' };
    // Logged with a finish that is stale (the delivery was never claimed): the request was made, so the log row stays.
    const logged = outcome(rows[0]!, 'nobody', 1, { status: 'failed', log: attempt });
    assert.deepEqual(await s.deliveries.finishMany([logged]), [false]);
    assert.deepEqual(await s.deliveries.finishMany([logged]), [false]);
    assert.deepEqual(await s.deliveries.listAttempts(rows[0]!.id), [attempt]);
    assert.deepEqual((await s.deliveries.list(ws.id, { eventId: evs[1]!.id }, { limit: 10 })).items.map((d) => d.id), [rows[1]!.id]);
    assert.deepEqual((await s.deliveries.list(ws.id, { status: 'succeeded' }, { limit: 10 })).items, []);
    assert.equal((await s.deliveries.list(ws.id, { since: at(1), eventType: 'link.created' }, { limit: 10 })).items.length, 0);
    const page = await s.deliveries.list(ws.id, {}, { limit: 1 });
    assert.equal((await s.deliveries.list(ws.id, {}, { limit: 1, cursor: page.nextCursor! })).items.length, 1);
    assert.equal(await s.deliveries.nextDueAt(), T);
    assert.equal(await s.deliveries.holdPending(ep.id, T), 2);
    assert.equal(await s.deliveries.nextDueAt(), null);
    assert.equal((await s.deliveries.listHeld(ep.id, 1))[0]?.id, rows[0]!.id);
    assert.equal(await s.deliveries.skipPending(ep.id, T), 2);
    assert.equal(await s.endpoints.delete(ws.id, ep.id), true);
    assert.deepEqual(await s.deliveries.listAttempts(rows[0]!.id), [], 'deleted with its endpoint');
  });

  void it('stores idempotency keys: first writer wins, expired ones make way; and adapter state', async () => {
    const s = get();
    const ws = await addWorkspace(s);
    const rec = { workspaceId: ws.id, key: 'k1', fingerprint: 'f', responseStatus: 201, responseBody: '{"id":1}', createdAt: T, expiresAt: at(1000) };
    assert.equal(await s.idempotency.insert(rec), true);
    assert.equal(await s.idempotency.insert({ ...rec, fingerprint: 'g' }), false);
    assert.deepEqual(await s.idempotency.get(ws.id, 'k1', at(999)), rec);
    assert.equal(await s.idempotency.get(ws.id, 'k1', at(1000)), undefined, 'expired');
    assert.equal(await s.idempotency.insert({ ...rec, fingerprint: 'h', createdAt: at(2000), expiresAt: at(3000) }), true);
    assert.equal(await s.idempotency.deleteExpired(at(3000)), 1);
    const { ep } = await setup(s);
    assert.equal(await s.destinationState.get(ep.id, 'issue:fp1'), undefined);
    await s.destinationState.set(ep.id, 'issue:fp1', '42');
    await s.destinationState.set(ep.id, 'issue:fp1', '43');
    assert.equal(await s.destinationState.get(ep.id, 'issue:fp1'), '43');
  });
}
