import type { AnalyticsRepo } from '../domain/analytics/ports.ts';
import { VisitorMemory } from '../domain/analytics/visitor-memory.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { createWakeup } from './wakeup.ts';

// Tails the click log into the daily analytics rollups (docs/analytics.md).
// It runs inside `serve` unless LINKHOOK_WORKER=false; several servers on one
// PostgreSQL database are safe - a step that loses the race on the cursor
// rolls back and starts over - but only one makes progress at a time.

/**
 * Sleep when caught up. 1 s keeps the unfolded tail (which queries read from
 * raw clicks, SETTLE_MS + this) near 11 s of clicks; shorter buys little, as
 * a click waits SETTLE_MS (10 s) before it may be folded anyway.
 */
const IDLE_MS = 1000;

/** After a failure (database down): try again later rather than spin. */
const ERROR_BACKOFF_MS = 5000;

export interface AnalyticsRollupWorker {
  start(): void;
  /** Finishes the step in progress, then resolves. */
  stop(): Promise<void>;
  /** Folds everything settled now, in this call (tests, the rebuild command). */
  catchUp(): Promise<number>;
}

export interface RollupWorkerDeps {
  analytics: AnalyticsRepo;
  clock: Clock;
  onError(err: unknown): void;
}

export function createAnalyticsRollupWorker(deps: RollupWorkerDeps, batch = 5000): AnalyticsRollupWorker {
  const memory = new VisitorMemory();
  const wakeup = createWakeup();
  let running: Promise<void> | undefined;
  let stopped = false;

  const step = (): Promise<number> => deps.analytics.refreshRollups(memory, deps.clock.now().getTime(), batch);

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        const n = await step();
        // A full batch means more is waiting; yield a tick so redirects sharing
        // the process (SQLite is synchronous) are answered between batches.
        await (n === batch ? new Promise<void>((r) => setImmediate(r)) : wakeup.sleepUnlessStopped(IDLE_MS));
      } catch (err) {
        deps.onError(err);
        await wakeup.sleepUnlessStopped(ERROR_BACKOFF_MS);
      }
    }
  };

  return {
    start() {
      running ??= loop();
    },
    async stop() {
      stopped = true;
      wakeup.stop();
      await running;
    },
    async catchUp() {
      let total = 0;
      for (let n = await step(); n > 0; n = await step()) total += n;
      return total;
    },
  };
}
