import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { nextFire } from './cron-schedule.ts';
import { checkCron, parseCreateReport, parseUpdateReport } from './report-input.ts';
import type { ReportSchedule } from './report-schedule.ts';

// The report schedule use cases behind /api/v1/reports. Thin: validate,
// compute the next fire time, store. The scheduler (run-due-reports.ts)
// does the rest.

export interface ReportDeps {
  storage: Storage;
  clock: Clock;
}

/**
 * Every named endpoint must exist in this workspace (a typo would silently
 * send the report nowhere) and be a `report` endpoint: reports and alerts
 * never share a firehose, so an on-call pager does not ring for a daily
 * summary. Mixing them is explicit: PATCH the endpoint's `class`.
 */
async function checkEndpoints(storage: Storage, workspaceId: string, ids: readonly string[]): Promise<void> {
  const found = new Map((await storage.endpoints.getMany([...ids])).filter((e) => e.workspaceId === workspaceId).map((e) => [e.id, e]));
  const problems = ids.flatMap((id, i) => {
    const endpoint = found.get(id);
    if (!endpoint) return [{ field: `endpoint_ids.${i}`, message: `no endpoint ${id} in this workspace` }];
    if (endpoint.class !== 'report') {
      return [{ field: `endpoint_ids.${i}`, message: `endpoint ${id} is an ${endpoint.class} endpoint; reports go to report endpoints only unless you change the endpoint's class to report` }];
    }
    return [];
  });
  if (problems.length > 0) throw validationError(problems);
}

export async function createReport(deps: ReportDeps, workspaceId: string, body: unknown): Promise<ReportSchedule> {
  const input = parseCreateReport(body);
  await checkEndpoints(deps.storage, workspaceId, input.endpoint_ids);
  const now = deps.clock.now();
  const schedule: ReportSchedule = {
    id: newId('report', now.getTime()),
    workspaceId,
    name: input.name,
    cron: input.cron,
    timezone: input.timezone,
    scope: input.scope,
    endpointIds: input.endpoint_ids,
    owner: input.owner,
    enabled: input.enabled,
    nextRunAt: nextFire(input.cron, input.timezone, now).toISOString(),
    lastRunAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.storage.reports.insert(schedule);
  return schedule;
}

export async function getReport(storage: Storage, workspaceId: string, id: string): Promise<ReportSchedule> {
  const schedule = await storage.reports.getById(workspaceId, id);
  if (!schedule) throw notFound('Report', id);
  return schedule;
}

export function listReports(storage: Storage, workspaceId: string): Promise<ReportSchedule[]> {
  return storage.reports.list(workspaceId);
}

export async function updateReport(deps: ReportDeps, workspaceId: string, id: string, body: unknown): Promise<ReportSchedule> {
  const input = parseUpdateReport(body);
  const current = await getReport(deps.storage, workspaceId, id);
  if (input.endpoint_ids) await checkEndpoints(deps.storage, workspaceId, input.endpoint_ids);
  const cron = input.cron ?? current.cron;
  const timezone = input.timezone ?? current.timezone;
  checkCron(cron, timezone);
  const now = deps.clock.now();
  const timing = cron !== current.cron || timezone !== current.timezone || (input.enabled === true && !current.enabled);
  const next: ReportSchedule = {
    ...current,
    name: input.name ?? current.name,
    cron,
    timezone,
    scope: input.scope ?? current.scope,
    endpointIds: input.endpoint_ids ?? current.endpointIds,
    owner: input.owner !== undefined ? input.owner : current.owner,
    enabled: input.enabled ?? current.enabled,
    // A new cron, or re-enabling, counts from now: re-enabling a schedule
    // paused for a month must not fire at once for the month it skipped.
    nextRunAt: timing ? nextFire(cron, timezone, now).toISOString() : current.nextRunAt,
    updatedAt: now.toISOString(),
  };
  await deps.storage.reports.update(next);
  return next;
}

export async function deleteReport(storage: Storage, workspaceId: string, id: string): Promise<void> {
  if (!(await storage.reports.delete(workspaceId, id))) throw notFound('Report', id);
}
