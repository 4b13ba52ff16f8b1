import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Storage } from '../../src/domain/ports.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';
import type { TestDatabase } from '../helpers/test-storage.ts';
import { createTestDatabase } from '../helpers/test-storage.ts';
import type { TestEngine } from './engine-fixtures.ts';
import { addEndpoint, deliveriesOf, emit, linkCreated, openEngine } from './engine-fixtures.ts';
import { createDeliveryDispatcher } from '../../src/worker/delivery-dispatcher.ts';

// Two dispatchers, each with its own connection pool (as two worker
// processes would have), share one PostgreSQL schema and one clock. The
// endpoint allows one delivery per second: whatever the two claim between
// them, each second of clock time lets exactly one through.

void describe('rate limit across dispatchers on PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestEngine;
  let b: Storage;
  let rx: HttpReceiver;
  before(async () => {
    database = await createTestDatabase('postgres');
    a = await openEngine(await database.open(), new ManualClock('2026-03-01T00:00:00Z'));
    b = await database.open();
    rx = await startReceiver(answer(200));
  });
  after(async () => {
    a.close();
    await rx.close();
    await database.cleanup();
  });

  void it('never exceed the endpoint rate, and deliver everything', async () => {
    const ep = await addEndpoint(a, rx.url, { rate_limit_per_second: 1 });
    const n = 10;
    await emit(a, ...Array.from({ length: n }, () => linkCreated(a)));
    const opts = { concurrency: 4, pollMs: 20, probeEveryMs: 60_000 };
    const one = createDeliveryDispatcher({ ...opts, engine: a.engine, owner: 'one' });
    const two = createDeliveryDispatcher({ ...opts, engine: { ...a.engine, storage: b }, owner: 'two' });

    const perSecond: number[] = [];
    for (let second = 0; second < n + 2; second++) {
      const before = rx.requests.length;
      // Both claim at once, twice, within the same clock second.
      const [x, y] = await Promise.all([one.runOnce(), two.runOnce()]);
      if (second === 0) assert.ok(x.length > 0 && y.length > 0, 'both dispatchers hold deliveries of the endpoint');
      await Promise.all([one.runOnce(), two.runOnce()]);
      perSecond.push(rx.requests.length - before);
      a.clock.advance(1000);
    }
    assert.ok(perSecond.every((c) => c <= 1), `at most one per second: ${perSecond.join(',')}`);
    assert.equal(rx.requests.length, n, 'all delivered');
    const ds = await deliveriesOf(a, ep.id);
    assert.ok(ds.every((d) => d.status === 'succeeded' && d.attempts === 1), 'waiting for a slot costs no attempt');
  });
});
