import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFinishBatcher } from '../../src/domain/delivery/finish-batcher.ts';
import type { DeliveryOutcome } from '../../src/domain/delivery/ports.ts';

// The group commit of finished attempts, against a recording finishMany.

const outcome = (id: string): DeliveryOutcome => ({ id, owner: 'w', attempt: 1, now: '2026-03-01T00:00:00.000Z', status: 'succeeded', nextAttemptAt: null, lastStatus: 200, lastError: null, lastErrorClass: null });

interface Call {
  ids: string[];
  settle(answer: boolean[] | Error): void;
}

function recordingRepo(): { calls: Call[]; finishMany(o: DeliveryOutcome[]): Promise<boolean[]> } {
  const calls: Call[] = [];
  return {
    calls,
    finishMany: (outcomes) =>
      new Promise<boolean[]>((resolve, reject) => {
        calls.push({ ids: outcomes.map((o) => o.id), settle: (a) => (a instanceof Error ? reject(a) : resolve(a)) });
      }),
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createFinishBatcher', () => {
  it('commits what finished together in one call, and what finished meanwhile in the next, answering each in order', async () => {
    const repo = recordingRepo();
    const finish = createFinishBatcher(repo);
    const first = [finish(outcome('a')), finish(outcome('b'))];
    await turn();
    assert.deepEqual(repo.calls.map((c) => c.ids), [['a', 'b']]);
    const later = [finish(outcome('c')), finish(outcome('d')), finish(outcome('e'))];
    await turn();
    assert.equal(repo.calls.length, 1, 'one transaction in flight at a time');
    repo.calls[0]!.settle([true, false]);
    assert.deepEqual(await Promise.all(first), [true, false]);
    await turn();
    assert.deepEqual(repo.calls.map((c) => c.ids), [['a', 'b'], ['c', 'd', 'e']]);
    repo.calls[1]!.settle([false, true, true]);
    assert.deepEqual(await Promise.all(later), [false, true, true]);
  });

  it('rejects every outcome of a failed transaction and goes on with the next', async () => {
    const repo = recordingRepo();
    const finish = createFinishBatcher(repo);
    const failed = [finish(outcome('a')), finish(outcome('b'))];
    await turn();
    const next = finish(outcome('c'));
    repo.calls[0]!.settle(new Error('database is locked'));
    for (const p of failed) await assert.rejects(p, /database is locked/);
    await turn();
    repo.calls[1]!.settle([true]);
    assert.equal(await next, true);
  });

  it('splits a crowd into batches of at most maxBatch', async () => {
    const repo = recordingRepo();
    const finish = createFinishBatcher(repo, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => finish(outcome(id)));
    for (let i = 0; i < 3; i++) {
      await turn(); // the answer to the last call is taken in, the next flush scheduled
      await turn(); // ... and run
      repo.calls[i]!.settle(repo.calls[i]!.ids.map(() => true));
    }
    assert.deepEqual(await Promise.all(all), [true, true, true, true, true]);
    assert.deepEqual(repo.calls.map((c) => c.ids), [['a', 'b'], ['c', 'd'], ['e']]);
  });
});
