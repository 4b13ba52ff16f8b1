import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { ClickRecorder, RecorderStoppedError } from '../../src/domain/clicks/click-recorder.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { sampleClick } from './fixtures.ts';

// The group commit against a real SQLite file: batch boundaries, the next
// batch accumulating while one is in flight, failure, drain.

function observe(): { sizes: number[]; failures: number[]; observer: ConstructorParameters<typeof ClickRecorder>[2] } {
  const sizes: number[] = [];
  const failures: number[] = [];
  return { sizes, failures, observer: { committed: (n) => sizes.push(n), failed: (n) => failures.push(n) } };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ClickRecorder (group commit on SQLite)', () => {
  let dir: string;
  let storage: Storage;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkhook-recorder-'));
    storage = await createSqliteStorage({ file: join(dir, 'clicks.db'), synchronous: 'NORMAL' });
    await storage.migrate();
  });
  after(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits clicks recorded together in one batch, split at batchMax', async () => {
    const { sizes, observer } = observe();
    const rec = new ClickRecorder(storage.clicks, 256, observer);
    const before = await storage.clicks.countAll();
    await Promise.all(Array.from({ length: 1000 }, () => rec.record(sampleClick('lnk_batch'))));
    assert.deepEqual(sizes, [256, 256, 256, 232]);
    assert.equal((await storage.clicks.countAll()) - before, 1000);
  });

  it('resolves a click only once it can be read back', async () => {
    const rec = new ClickRecorder(storage.clicks, 512);
    const click = sampleClick('lnk_readback');
    await rec.record(click);
    const page = await storage.clicks.listByLink('ws_test', 'lnk_readback', { limit: 10 });
    assert.deepEqual(
      page.items.map((c) => c.id),
      [click.id],
    );
  });

  it('accumulates the next batch while one is in flight, with no timer', async () => {
    const { sizes, observer } = observe();
    const rec = new ClickRecorder(storage.clicks, 512, observer);
    const first = rec.record(sampleClick('lnk_flight'));
    // The flusher's setImmediate was queued first, so by now batch 1 is in flight.
    await nextTurn();
    const rest = Array.from({ length: 10 }, () => rec.record(sampleClick('lnk_flight')));
    await Promise.all([first, ...rest]);
    assert.deepEqual(sizes, [1, 10]);
  });

  it('rejects every request of a batch whose commit fails, and recovers for the next', async () => {
    const { sizes, failures, observer } = observe();
    const rec = new ClickRecorder(storage.clicks, 512, observer);
    const dupe = sampleClick('lnk_fail');
    await rec.record(dupe);
    // Same primary key twice in one batch: the transaction must roll back whole.
    const results = await Promise.allSettled([rec.record(sampleClick('lnk_fail')), rec.record({ ...dupe })]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(failures, [2]);
    const stored = await storage.clicks.listByLink('ws_test', 'lnk_fail', { limit: 10 });
    assert.equal(stored.items.length, 1, 'nothing of the failed batch was written');
    await rec.record(sampleClick('lnk_fail'));
    assert.deepEqual(sizes, [1, 1]);
  });

  it('drain commits what is queued, then refuses new clicks', async () => {
    const { sizes, observer } = observe();
    const rec = new ClickRecorder(storage.clicks, 512, observer);
    const pending = Array.from({ length: 5 }, () => rec.record(sampleClick('lnk_drain')));
    assert.equal(rec.pending, 5);
    await rec.drain();
    await Promise.all(pending);
    assert.deepEqual(sizes, [5]);
    assert.equal(rec.pending, 0);
    await assert.rejects(rec.record(sampleClick('lnk_drain')), RecorderStoppedError);
    await rec.drain(); // idempotent
  });
});
