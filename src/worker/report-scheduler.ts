import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { RunOutcome, RunReportsDeps } from '../domain/reports/run-due-reports.ts';
import { runDueReports } from '../domain/reports/run-due-reports.ts';
import { createWakeup } from './wakeup.ts';

// The report scheduler loop: every pollMs, run the due report schedules
// (src/domain/reports/run-due-reports.ts), then wake the delivery dispatcher
// so the summaries go out without waiting for its next poll. Any number of
// these may run against one PostgreSQL database: the claim is a lease.

export interface ReportSchedulerOptions {
  deps: RunReportsDeps;
  /** Reports fire at minute granularity; a 30 s poll is at most half a minute late. */
  pollMs?: number;
  signal?: DeliverySignal;
  onRun?: (outcomes: RunOutcome[]) => void;
  onError: (err: unknown) => void;
}

export interface ReportScheduler {
  start(): void;
  /** Runs one pass now (tests drive the scheduler with this and a ManualClock). */
  tick(): Promise<RunOutcome[]>;
  /** Stops polling; resolves when the pass in progress (if any) has finished. */
  stop(): Promise<void>;
}

const DEFAULT_POLL_MS = 30_000;

export function createReportScheduler(opts: ReportSchedulerOptions): ReportScheduler {
  const wakeup = createWakeup();
  let loop: Promise<void> | undefined;
  let stopped = false;

  const tick = async (): Promise<RunOutcome[]> => {
    const outcomes = await runDueReports(opts.deps);
    if (outcomes.some((o) => o.status === 'sent')) opts.signal?.notify();
    if (outcomes.length > 0) opts.onRun?.(outcomes);
    return outcomes;
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        await tick();
      } catch (err) {
        // A database blip must not end the loop: the schedule stays due and the next pass retries.
        opts.onError(err);
      }
      await wakeup.sleepUnlessStopped(opts.pollMs ?? DEFAULT_POLL_MS);
    }
  };

  return {
    start() {
      if (loop || stopped) return;
      loop = run();
    },
    tick,
    async stop() {
      stopped = true;
      wakeup.stop();
      await loop;
    },
  };
}
