import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AnalyticsRepo } from '../domain/analytics/ports.ts';
import { VisitorMemory } from '../domain/analytics/visitor-memory.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { createWakeup } from './wakeup.ts';

// Tails the click log into the analytics rollups (docs/analytics.md). It runs
// inside `serve` unless LINKHOOK_WORKER=false, and in every `linkhook worker`.
// Any number may share one database: the one holding the fold lease folds,
// the others check the lease each IDLE_MS and take over when it is released
// (stop) or expires (a crash), so exactly one folds at a time.

/**
 * Sleep when caught up. 1 s keeps the unfolded tail (which queries read from
 * raw clicks, SETTLE_MS + this) near 11 s of clicks; shorter buys little, as
 * a click waits SETTLE_MS (10 s) before it may be folded anyway.
 */
const IDLE_MS = 1000;

/** After a failure (database down): try again later rather than spin. */
const ERROR_BACKOFF_MS = 5000;

export interface AnalyticsRollupWorker {
  /** This worker's name in the fold lease: host:pid:random. */
  readonly owner: string;
  start(): void;
  /** Finishes the step in progress and gives up the lease, then resolves. */
  stop(): Promise<void>;
  /** Folds everything settled now, in this call (tests); 0 while another worker holds the lease. */
  catchUp(): Promise<number>;
  /** Drops the rollups, takes the lease and folds every settled click again (`linkhook analytics rebuild`). */
  rebuild(): Promise<number>;
}

export interface RollupWorkerDeps {
  analytics: AnalyticsRepo;
  clock: Clock;
  onError(err: unknown): void;
}

export function createAnalyticsRollupWorker(deps: RollupWorkerDeps, batch = 5000): AnalyticsRollupWorker {
  const memory = new VisitorMemory(`${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
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

  const catchUp = async (): Promise<number> => {
    let total = 0;
    for (let n = await step(); n > 0; n = await step()) {
      total += n;
      // A macrotask between steps: with SQLite every step is synchronous, and
      // without it a long rebuild would hold off timers and signal handlers.
      await new Promise<void>((r) => setImmediate(r));
    }
    return total;
  };

  return {
    owner: memory.owner,
    start() {
      running ??= loop();
    },
    async stop() {
      stopped = true;
      wakeup.stop();
      await running;
      // Best effort: if the database is gone the lease simply expires (30 s).
      await deps.analytics.releaseRollups(memory).catch((err: unknown) => deps.onError(err));
    },
    catchUp,
    async rebuild() {
      await deps.analytics.resetRollups(memory, deps.clock.now().getTime());
      return catchUp();
    },
  };
}
