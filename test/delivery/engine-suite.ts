import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { TestStorage } from '../helpers/test-storage.ts';
import type { StorageKind } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';
import type { TestEngine } from './engine-fixtures.ts';
import { addEndpoint, deliveriesOf, emit, linkCreated, openEngine } from './engine-fixtures.ts';

// The delivery engine end to end on one storage: real database, real HTTP
// receivers on loopback, the real http destination; time moves only when the
// test advances the ManualClock, and work happens only when it calls runOnce.

export function engineSuite(kind: StorageKind): void {
  let db: TestStorage;
  let t: TestEngine;
  let rx: HttpReceiver;
  beforeEach(async () => {
    db = await openTestStorage(kind);
    t = await openEngine(db.storage);
    rx = await startReceiver(answer(200, 'ok'));
  });
  afterEach(async () => {
    t.close();
    await rx.close();
    await db.cleanup();
  });

  void it('delivers a signed event on 2xx, logs the attempt, and is done', async () => {
    const ep = await addEndpoint(t, `${rx.url}/hook`);
    const event = linkCreated(t);
    await emit(t, event);
    const claimed = await t.dispatcher().runOnce();
    assert.equal(claimed.length, 1);
    assert.equal(rx.requests.length, 1);
    const req = rx.requests[0]!;
    assert.equal(req.headers['webhook-id'], event.id);
    const verified = new Webhook(ep.secrets[0]!.secret).verify(req.body, req.headers as Record<string, string>);
    assert.deepEqual(verified, JSON.parse(JSON.stringify(event)));
    const [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.status, 'succeeded');
    assert.equal(d?.lastStatus, 200);
    const attempts = await t.storage.deliveries.listAttempts(d.id);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.response?.status, 200);
    assert.equal(attempts[0]?.request?.headers['webhook-id'], event.id);
    assert.equal((await t.dispatcher().runOnce()).length, 0, 'nothing left to claim');
  });

  void it('retries a 500 after the scheduled delay with the same webhook-id, then succeeds', async () => {
    let calls = 0;
    rx.handle((_req, res) => {
      res.writeHead(++calls === 1 ? 500 : 204).end();
    });
    const ep = await addEndpoint(t, rx.url);
    const event = linkCreated(t);
    await emit(t, event);
    const w = t.dispatcher();
    await w.runOnce();
    let [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.status, 'retrying');
    // First retry: 5 s (jitter fixed at 1.0x by random() = 0.5).
    assert.equal(d?.nextAttemptAt, new Date(t.clock.now().getTime() + 5000).toISOString());
    t.clock.advance(4999);
    assert.equal((await w.runOnce()).length, 0, 'not due yet');
    t.clock.advance(1);
    assert.equal((await w.runOnce()).length, 1);
    [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.status, 'succeeded');
    assert.equal(d?.attempts, 2);
    assert.deepEqual(rx.requests.map((r) => r.headers['webhook-id']), [event.id, event.id]);
    const attempts = await t.storage.deliveries.listAttempts(d.id);
    assert.deepEqual(attempts.map((a) => [a.n, a.response?.status, a.errorClass]), [[1, 500, 'http_status'], [2, 204, null]]);
  });

  void it('honours Retry-After, up to one hour', async () => {
    const ep = await addEndpoint(t, rx.url);
    rx.handle(answer(429, 'slow down', { 'retry-after': '120' }));
    await emit(t, linkCreated(t));
    await t.dispatcher().runOnce();
    let [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.nextAttemptAt, new Date(t.clock.now().getTime() + 120_000).toISOString(), '120 s beats the 5 s schedule');
    rx.handle(answer(503, 'maintenance', { 'retry-after': '86400' }));
    t.clock.advance(120_000);
    await t.dispatcher().runOnce();
    [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.nextAttemptAt, new Date(t.clock.now().getTime() + 3_600_000).toISOString(), 'a day is capped at an hour');
  });

  void it('410 fails the delivery, disables the endpoint as gone and tells the endpoints subscribed to endpoint.disabled', async () => {
    const gone = await startReceiver(answer(410, 'gone'));
    try {
      const ep = await addEndpoint(t, gone.url);
      const watcher = await addEndpoint(t, rx.url, { events: ['endpoint.disabled'] });
      await emit(t, linkCreated(t));
      await t.dispatcher().runOnce();
      const after = await t.storage.endpoints.getById(t.ws.id, ep.id);
      assert.equal(after?.enabled, false);
      assert.equal(after?.disabledReason, 'gone');
      assert.equal((await deliveriesOf(t, ep.id))[0]?.status, 'failed');
      await t.dispatcher().runOnce();
      assert.equal(rx.requests.length, 1);
      const told = JSON.parse(rx.requests[0]!.body);
      assert.equal(told.type, 'endpoint.disabled');
      assert.equal(told.data.endpoint.id, ep.id);
      assert.equal(told.data.reason, 'gone');
      assert.equal(told.data.last_error.status, 410);
      assert.equal((await deliveriesOf(t, watcher.id)).length, 1);
      await emit(t, linkCreated(t));
      assert.equal((await deliveriesOf(t, ep.id)).length, 1, 'a gone endpoint gets no new deliveries');
      assert.equal(gone.requests.length, 1);
    } finally {
      await gone.close();
    }
  });

  void it("a crashed worker's lease expires and another worker delivers it, same webhook-id; the crashed one cannot finish it", async () => {
    const ep = await addEndpoint(t, rx.url);
    const event = linkCreated(t);
    await emit(t, event);
    const [lost] = await t.storage.deliveries.claim({ owner: 'crashed', now: t.clock.now().toISOString(), leaseMs: t.engine.leaseMs, limit: 10 });
    assert.ok(lost);
    const w = t.dispatcher();
    assert.equal((await w.runOnce()).length, 0, 'leased to the crashed worker');
    t.clock.advance(t.engine.leaseMs);
    assert.equal((await w.runOnce()).length, 1, 'reclaimed once the lease expired');
    assert.deepEqual(rx.requests.map((r) => r.headers['webhook-id']), [event.id]);
    const late = { id: lost.id, owner: 'crashed', attempt: lost.attempts, now: t.clock.now().toISOString(), nextAttemptAt: null, lastStatus: null, lastError: 'x', lastErrorClass: null };
    assert.equal(await t.storage.deliveries.finish({ ...late, status: 'failed' }), false);
    const [d] = await deliveriesOf(t, ep.id);
    assert.equal(d?.status, 'succeeded');
    assert.equal(d?.attempts, 2);
  });

  void it('a rate-limited endpoint (slack: 1/s by default) gets one delivery per slot; waiting costs no attempt', async () => {
    const ep = await addEndpoint(t, rx.url, { kind: 'slack' });
    await emit(t, linkCreated(t), linkCreated(t), linkCreated(t));
    const w = t.dispatcher();
    assert.equal((await w.runOnce()).length, 3);
    assert.equal(rx.requests.length, 1);
    const waiting = (await deliveriesOf(t, ep.id)).filter((d) => d.status === 'pending');
    assert.equal(waiting.length, 2);
    assert.ok(waiting.every((d) => d.attempts === 0), 'postponed, not failed');
    assert.equal((await w.runOnce()).length, 0, 'nothing due before the next slot');
    t.clock.advance(1000);
    await w.runOnce();
    assert.equal(rx.requests.length, 2);
    t.clock.advance(1000);
    await w.runOnce();
    assert.equal(rx.requests.length, 3);
    assert.ok((await deliveriesOf(t, ep.id)).every((d) => d.status === 'succeeded' && d.attempts === 1));
  });

  void it("Slack's 1/s belongs to the webhook URL: two endpoints on one URL share it, another URL has its own", async () => {
    const a = await addEndpoint(t, `${rx.url}/hooks/one`, { kind: 'slack' });
    const b = await addEndpoint(t, `${rx.url}/hooks/one`, { kind: 'slack' });
    const c = await addEndpoint(t, `${rx.url}/hooks/two`, { kind: 'slack' });
    await emit(t, linkCreated(t), linkCreated(t));
    const w = t.dispatcher();
    const perSecond: Record<string, number>[] = [];
    for (let second = 0; second < 5; second++) {
      const before = rx.requests.length;
      await w.runOnce();
      const counts: Record<string, number> = {};
      for (const r of rx.requests.slice(before)) counts[r.path] = (counts[r.path] ?? 0) + 1;
      perSecond.push(counts);
      t.clock.advance(1000);
    }
    // /hooks/one carries 4 deliveries (2 events × 2 endpoints): one a second, over 4 s; /hooks/two's 2 take 2 s.
    assert.deepEqual(perSecond, [
      { '/hooks/one': 1, '/hooks/two': 1 },
      { '/hooks/one': 1, '/hooks/two': 1 },
      { '/hooks/one': 1 },
      { '/hooks/one': 1 },
      {},
    ]);
    for (const ep of [a, b, c]) assert.ok((await deliveriesOf(t, ep.id)).every((d) => d.status === 'succeeded' && d.attempts === 1));
  });
}
