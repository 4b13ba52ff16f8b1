import type { FastifyInstance } from 'fastify';
import { createReport, deleteReport, getReport, listReports, updateReport } from '../../domain/reports/manage-reports.ts';
import type { ReportDeps } from '../../domain/reports/manage-reports.ts';
import type { ReportSchedule } from '../../domain/reports/report-schedule.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { idParam } from './query.ts';

// Report schedules (docs/reports.md). Reading them is analytics; creating
// one decides what is sent to endpoints, so it needs endpoints:write (no
// new scope: existing keys keep working as they did).

export function reportJson(r: ReportSchedule): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    scope: r.scope,
    endpoint_ids: r.endpointIds,
    owner: r.owner,
    enabled: r.enabled,
    next_run_at: r.nextRunAt,
    last_run_at: r.lastRunAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export async function reportsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const reportDeps: ReportDeps = { storage: deps.storage, clock: deps.clock };
  const read = { onRequest: requireScope(deps.storage, 'analytics:read') };
  const write = { onRequest: requireScope(deps.storage, 'endpoints:write') };

  app.post('/reports', write, async (request, reply) => {
    const report = await createReport(reportDeps, workspaceOf(request), request.body);
    return reply.code(201).header('location', `/api/v1/reports/${report.id}`).send(reportJson(report));
  });

  app.get('/reports', read, async (request) => ({ data: (await listReports(deps.storage, workspaceOf(request))).map(reportJson) }));

  app.get('/reports/:id', read, async (request) => reportJson(await getReport(deps.storage, workspaceOf(request), idParam(request.params))));

  app.patch('/reports/:id', write, async (request) => reportJson(await updateReport(reportDeps, workspaceOf(request), idParam(request.params), request.body)));

  app.delete('/reports/:id', write, async (request, reply) => {
    await deleteReport(deps.storage, workspaceOf(request), idParam(request.params));
    return reply.code(204).send();
  });
}
