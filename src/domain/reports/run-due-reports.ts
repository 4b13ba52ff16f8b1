import { emitEventTo } from '../events/emit-event-to.ts';
import { newEvent } from '../events/new-event.ts';
import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { buildSummary } from './build-summary.ts';
import { lastFire, nextFire, periodOf } from './cron-schedule.ts';
import type { ReportSchedule } from './report-schedule.ts';

// One pass of the report scheduler: claim the due schedules (a lease, so
// several workers on PostgreSQL never run the same one), build each summary,
// and emit report.summary to the schedule's endpoints IN THE SAME transaction
// that moves next_run_at on. A crash before the commit leaves no event and
// the schedule due again when the lease ends; after it, the event exists
// and the schedule has moved: never zero, never twice.
//
// Missed runs: the summary covers the LATEST fire at or before now, and the
// next run is the first fire after now. A server down for three days runs
// each schedule once when it comes back (about the most recent period), not
// three times and not zero.

export interface RunReportsDeps {
  storage: Storage;
  clock: Clock;
  baseUrl: string;
  customDomainScheme: string;
  /** How long a claimed schedule is ours; a summary takes well under a second, so 5 min is generous. */
  leaseMs?: number;
  /** Schedules per pass. */
  batch?: number;
}

export interface RunOutcome {
  scheduleId: string;
  /** 'sent': emitted; 'lost_lease': another scheduler (or an edit) took it first, nothing emitted. */
  status: 'sent' | 'lost_lease';
  eventId?: string;
}

const DEFAULT_LEASE_MS = 5 * 60_000;

async function runOne(deps: RunReportsDeps, schedule: ReportSchedule, leaseUntil: string): Promise<RunOutcome> {
  const now = deps.clock.now();
  const fire = lastFire(schedule.cron, schedule.timezone, now);
  const period = periodOf(schedule.cron, schedule.timezone, fire);
  const next = nextFire(schedule.cron, schedule.timezone, now);
  // Read outside the transaction: on SQLite a transaction holds the one
  // connection, and the redirect path's click commits would queue behind
  // every summary query. The lease keeps the schedule ours meanwhile.
  const report = await buildSummary({ repos: deps.storage, baseUrl: deps.baseUrl, customDomainScheme: deps.customDomainScheme }, schedule, period);
  return deps.storage.transaction(async (tx) => {
    const completed = await tx.reports.completeRun(schedule.id, leaseUntil, next.toISOString(), fire.toISOString());
    if (!completed) return { scheduleId: schedule.id, status: 'lost_lease' as const };
    const event = newEvent('report.summary', schedule.workspaceId, { report }, now);
    await emitEventTo(tx, [event], schedule.endpointIds);
    return { scheduleId: schedule.id, status: 'sent' as const, eventId: event.id };
  });
}

/** Runs every due schedule once; returns what happened to each (for logs and tests). */
export async function runDueReports(deps: RunReportsDeps): Promise<RunOutcome[]> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const claimed = await deps.storage.reports.claimDue({ now: now.toISOString(), leaseUntil, limit: deps.batch ?? 20 });
  const out: RunOutcome[] = [];
  for (const schedule of claimed) out.push(await runOne(deps, schedule, leaseUntil));
  return out;
}
