import type { LifecycleSweepDeps, SweepResult } from '../domain/links/sweep-lifecycle.ts';
import { sweepLifecycle } from '../domain/links/sweep-lifecycle.ts';
import { createWakeup } from './wakeup.ts';

// The lifecycle loop: one sweep every `everyMs` (60 s by default), each pass
// emitting the link.expiring / link.expired / link.scheduled_change_applied
// notices that fell due. Every worker may run it: notices are exactly-once
// by their key (see sweep-lifecycle.ts), so two sweepers at once only cost a
// few duplicate reads. A minute of lateness is the price of one indexed scan
// a minute; expiry itself is exact, because the redirect applies it at read
// time.

export interface LifecycleSweeperOptions {
  sweep: LifecycleSweepDeps;
  /** Between passes, in real milliseconds. */
  everyMs: number;
  onError?: (err: unknown) => void;
}

export interface LifecycleSweeper {
  start(): void;
  /** One pass now; for tests and tools. */
  runOnce(): Promise<SweepResult>;
  /** Ends the loop after the pass in progress, if any. */
  stop(): Promise<void>;
}

export function createLifecycleSweeper(opts: LifecycleSweeperOptions): LifecycleSweeper {
  const onError = opts.onError ?? ((err: unknown) => process.emitWarning(`lifecycle sweeper: ${String(err)}`));
  const wake = createWakeup();
  let running = false;
  let loop: Promise<void> | undefined;

  const runOnce = (): Promise<SweepResult> => sweepLifecycle(opts.sweep);

  async function run(): Promise<void> {
    while (running) {
      try {
        await runOnce();
      } catch (err) {
        // A database hiccup must not end the loop: the next pass retries.
        onError(err);
      }
      await wake.sleepUnlessStopped(opts.everyMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    runOnce,
    async stop() {
      running = false;
      wake.stop();
      await loop;
    },
  };
}
