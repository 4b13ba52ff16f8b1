// A sleep that can be cut short: the dispatcher sleeps between polls and is
// woken by a DeliverySignal or a finished delivery. A wake-up that arrives
// while nobody sleeps is remembered, so the next sleep returns at once and
// no nudge is lost between "found nothing" and "go to sleep".

export interface Wakeup {
  /** Ends the current sleep (or the next one, if none is running). */
  now(): void;
  /** Sleeps up to ms, or until now() or stop(). */
  sleep(ms: number): Promise<void>;
  /** Sleeps up to ms, or until stop(); ignores now(). */
  sleepUnlessStopped(ms: number): Promise<void>;
  /** Ends every sleep, now and later. */
  stop(): void;
}

export function createWakeup(): Wakeup {
  let pending = false;
  let stopped = false;
  const sleepers = new Set<() => void>();
  const stoppers = new Set<() => void>();

  const nap = (ms: number, wakers: Set<() => void>[]): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        for (const set of wakers) set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const set of wakers) set.add(done);
    });

  return {
    now() {
      if (sleepers.size === 0) pending = true;
      for (const wake of [...sleepers]) wake();
    },
    async sleep(ms) {
      if (stopped) return;
      if (pending) {
        pending = false;
        return;
      }
      await nap(ms, [sleepers, stoppers]);
      pending = false;
    },
    async sleepUnlessStopped(ms) {
      if (stopped) return;
      await nap(ms, [stoppers]);
    },
    stop() {
      stopped = true;
      for (const wake of [...stoppers]) wake();
    },
  };
}
