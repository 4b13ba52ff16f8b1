import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { replayDelivery, replayEvent, replayFailed } from '../../src/domain/delivery/replay.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/domain/delivery/retry-schedule.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';
import type { StorageKind, TestStorage } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';
import type { TestEngine } from './engine-fixtures.ts';
import { addEndpoint, deliveriesOf, emit, linkCreated, openEngine, TEST_DISABLE_AFTER_MS } from './engine-fixtures.ts';

// Failing endpoints (disable, probe, recover, catch up) and replay.

export function recoverySuite(kind: StorageKind): void {
  let db: TestStorage;
  let t: TestEngine;
  let rx: HttpReceiver;
  let watch: HttpReceiver;
  beforeEach(async () => {
    db = await openTestStorage(kind);
    t = await openEngine(db.storage);
    rx = await startReceiver(answer(503, 'down'));
    watch = await startReceiver(answer(200));
  });
  afterEach(async () => {
    t.close();
    await Promise.all([rx.close(), watch.close()]);
    await db.cleanup();
  });

  /** Advances to the delivery's next attempt and runs it. */
  async function nextAttempt(endpointId: string): Promise<void> {
    const pending = (await deliveriesOf(t, endpointId)).filter((d) => d.status === 'retrying' || d.status === 'pending');
    const due = Math.min(...pending.map((d) => Date.parse(d.nextAttemptAt!)));
    if (due > t.clock.now().getTime()) t.clock.set(due);
    await t.dispatcher().runOnce();
  }

  void it('disables an endpoint failing for the whole period, holds its queue, probes it, and on recovery replays what it missed, paced', async () => {
    const ep = await addEndpoint(t, rx.url);
    await addEndpoint(t, watch.url, { events: ['endpoint.disabled', 'endpoint.recovered'] });
    const t0 = t.clock.now().toISOString();
    const first = linkCreated(t);
    await emit(t, first);
    await t.dispatcher().runOnce();
    assert.equal((await t.storage.endpoints.getById(t.ws.id, ep.id))?.failingSince, t0);
    // Retries at 5 s, 30 s, 2 min, 10 min, 30 min: 42.6 min in, still enabled; the next (1 h later) passes the 1 h period.
    for (let i = 0; i < 5; i++) await nextAttempt(ep.id);
    assert.equal((await t.storage.endpoints.getById(t.ws.id, ep.id))?.enabled, true);
    await nextAttempt(ep.id);
    const disabled = await t.storage.endpoints.getById(t.ws.id, ep.id);
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.disabledReason, 'failing');
    assert.ok(Date.parse(disabled.disabledAt!) - Date.parse(t0) >= TEST_DISABLE_AFTER_MS);
    assert.equal((await deliveriesOf(t, ep.id))[0]?.status, 'held');

    // Events while disabled are held, not sent; the owner hears about it.
    const missed = [linkCreated(t), linkCreated(t)];
    await emit(t, ...missed);
    await t.dispatcher().runOnce();
    assert.equal(rx.requests.length, 7, 'the first attempt and six retries');
    assert.deepEqual((await deliveriesOf(t, ep.id)).map((d) => d.status), ['held', 'held', 'held']);
    const told = JSON.parse(watch.requests[0]!.body);
    assert.equal(told.type, 'endpoint.disabled');
    assert.equal(told.data.reason, 'failing');
    assert.equal(told.data.failing_since, t0);
    assert.equal(told.data.last_error.status, 503);

    // The first probe, a minute later, with the oldest held delivery: still down.
    assert.deepEqual(await t.dispatcher().probeOnce(), [], 'no probe before its time');
    t.clock.advance(60_000);
    assert.deepEqual((await t.dispatcher().probeOnce()).map((p) => p.result), ['still_failing']);
    assert.equal(rx.requests.at(-1)?.headers['webhook-id'], first.id);

    // It answers again: the next probe resumes it and replays the rest at 10/s (100 ms apart).
    rx.handle(answer(200));
    t.clock.advance(60_000);
    assert.deepEqual((await t.dispatcher().probeOnce()).map((p) => p.result), ['recovered']);
    const back = await t.storage.endpoints.getById(t.ws.id, ep.id);
    assert.equal(back?.enabled, true);
    assert.equal(back?.failingSince, null);
    await t.dispatcher().runOnce();
    assert.equal(rx.requests.length, 10, 'two probes, then the first replayed; the second is 100 ms later');
    t.clock.advance(100);
    await t.dispatcher().runOnce();
    const ids = rx.requests.slice(9).map((r) => r.headers['webhook-id']);
    assert.deepEqual(ids, missed.map((e) => e.id));
    assert.ok((await deliveriesOf(t, ep.id)).every((d) => d.status === 'succeeded'));
    const recovered = watch.requests.map((r) => JSON.parse(r.body)).find((e) => e.type === 'endpoint.recovered');
    assert.equal(recovered?.data.replaying, 2);
  });

  void it('gives up after the last retry, and replays: one delivery, one event to all its endpoints, failed ones since a time', async () => {
    t.engine.disableAfterMs = 30 * 24 * 3600_000; // this test is about giving up, not disabling
    const ep = await addEndpoint(t, rx.url, { rate_limit_per_second: 2 });
    const early = linkCreated(t);
    await emit(t, early);
    t.clock.advance(1000);
    const since = t.clock.now().toISOString();
    const failing = [linkCreated(t), linkCreated(t)];
    await emit(t, ...failing);
    for (let i = 0; i < MAX_ATTEMPTS * 3 && (await deliveriesOf(t, ep.id)).some((d) => d.status !== 'failed'); i++) await nextAttempt(ep.id);
    const failed = await deliveriesOf(t, ep.id);
    assert.ok(failed.every((d) => d.status === 'failed' && d.attempts === MAX_ATTEMPTS), `gave up after ${MAX_ATTEMPTS} attempts`);
    assert.equal(RETRY_DELAYS_MS.length, MAX_ATTEMPTS - 1);
    rx.handle(answer(200));
    const sent = rx.requests.length;
    t.clock.advance(1000); // past the rate-limit slots the last retries reserved

    // Every failed delivery since `since`, paced by the endpoint's 2/s.
    assert.deepEqual(await replayFailed(t.api, t.ws.id, ep.id, since), { requeued: 2 });
    await t.dispatcher().runOnce();
    assert.equal(rx.requests.length, sent + 1);
    t.clock.advance(500);
    await t.dispatcher().runOnce();
    assert.deepEqual(rx.requests.slice(sent).map((r) => r.headers['webhook-id']), failing.map((e) => e.id));
    const early1 = (await deliveriesOf(t, ep.id)).find((d) => d.eventId === early.id)!;
    assert.equal(early1.status, 'failed', 'before `since`: not replayed');

    // One delivery, whatever its status: the attempt log keeps counting.
    t.clock.advance(500);
    assert.deepEqual(await replayDelivery(t.api, t.ws.id, early1.id), { requeued: 1 });
    await t.dispatcher().runOnce();
    const replayed = (await t.storage.deliveries.getById(t.ws.id, early1.id))!;
    assert.equal(replayed.status, 'succeeded');
    assert.equal((await t.storage.deliveries.listAttempts(early1.id)).at(-1)?.n, MAX_ATTEMPTS + 1);

    // One event to all its endpoints, including one subscribed since.
    const later = await addEndpoint(t, watch.url);
    t.clock.advance(500);
    assert.deepEqual(await replayEvent(t.api, t.ws.id, early.id), { requeued: 2 });
    await t.dispatcher().runOnce();
    assert.equal(rx.requests.at(-1)?.headers['webhook-id'], early.id);
    assert.deepEqual(watch.requests.map((r) => r.headers['webhook-id']), [early.id]);
    assert.equal((await deliveriesOf(t, later.id)).length, 1);
  });
}
