import type { DeliveryOutcome, DeliveryRepo } from './ports.ts';

// Group commit of a worker's finished attempts, as the click recorder does
// for clicks: one finishMany() transaction in flight at a time, and the
// outcomes that finish meanwhile wait for the next one, which takes them all.
// No timer: a lone outcome is written on the next turn of the event loop.
//
// Why: each attempt ends with its log row and its lease-checked finish. As
// statements of their own they were two SQLite commits per delivery, queued
// on the one connection with the click group commit and the claims; in
// bench:delivery that queue was what stretched the click pass. Grouped, N
// finished deliveries are one commit.
//
// Nothing is lost by waiting: until its outcome is committed the delivery is
// still leased ('delivering'), so a crash leaves it to be sent again when the
// lease expires, under the same webhook-id. A failed transaction rejects
// every outcome in it, and each of those deliveries is retried the same way.

/** Outcomes per transaction; more wait for the next. 256 at ~20 µs each keeps one commit to a few ms. */
const MAX_BATCH = 256;

interface Pending {
  outcome: DeliveryOutcome;
  resolve(ok: boolean): void;
  reject(err: unknown): void;
}

/** Returns a finish() that groups concurrent calls into finishMany() transactions. */
export function createFinishBatcher(repo: Pick<DeliveryRepo, 'finishMany'>, maxBatch = MAX_BATCH): (outcome: DeliveryOutcome) => Promise<boolean> {
  let queue: Pending[] = [];
  let inFlight = false;
  let scheduled = false;

  const schedule = (): void => {
    if (inFlight || scheduled || queue.length === 0) return;
    scheduled = true;
    // setImmediate, not a microtask: deliveries finishing in this turn's I/O callbacks join the batch.
    setImmediate(flush);
  };

  const flush = (): void => {
    scheduled = false;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (batch.length === 0) return;
    inFlight = true;
    // A repo that throws synchronously fails the batch like a failed transaction.
    new Promise<boolean[]>((resolve) => resolve(repo.finishMany(batch.map((p) => p.outcome)))).then(
      (oks) => {
        inFlight = false;
        schedule();
        batch.forEach((p, i) => p.resolve(oks[i] === true));
      },
      (err: unknown) => {
        inFlight = false;
        schedule();
        for (const p of batch) p.reject(err);
      },
    );
  };

  return (outcome) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ outcome, resolve, reject });
      schedule();
    });
}
