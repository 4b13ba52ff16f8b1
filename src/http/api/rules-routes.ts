import type { FastifyInstance } from 'fastify';
import { acknowledgeAlert, getAlert, listAlerts, snoozeAlert } from '../../domain/rules/manage-alerts.ts';
import type { RuleDeps } from '../../domain/rules/manage-rules.ts';
import { createRule, deleteRule, getRule, listRules, updateRule } from '../../domain/rules/manage-rules.ts';
import { drillRule } from '../../domain/rules/drill-rule.ts';
import { validationError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { callerOf, requireScope, workspaceOf } from './auth.ts';
import { parseAlertQuery } from './alert-query.ts';
import { idParam, parsePageQuery } from './query.ts';
import { alertJson, ruleJson } from './rule-view.ts';

/** Alert rules (CRUD, fire drill) and their alerts (list, read, ack, snooze). */
export async function rulesRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const d: RuleDeps = { storage: deps.storage, clock: deps.clock };
  const read = { onRequest: requireScope(deps.storage, 'rules:read') };
  const write = { onRequest: requireScope(deps.storage, 'rules:write') };
  const alertsRead = { onRequest: requireScope(deps.storage, 'alerts:read') };
  const alertsWrite = { onRequest: requireScope(deps.storage, 'alerts:write') };

  app.post('/rules', write, async (request, reply) => {
    const rule = await createRule(d, workspaceOf(request), request.body);
    return reply.code(201).header('location', `/api/v1/rules/${rule.id}`).send(ruleJson(rule));
  });

  app.get('/rules', read, async (request) => {
    const page = parsePageQuery(request.query);
    const result = await listRules(d, workspaceOf(request), page.cursor === undefined ? { limit: page.limit } : { cursor: page.cursor, limit: page.limit });
    return { data: result.items.map(ruleJson), next_cursor: result.nextCursor };
  });

  app.get('/rules/:id', read, async (request) => ruleJson(await getRule(d, workspaceOf(request), idParam(request.params))));

  app.patch('/rules/:id', write, async (request) => ruleJson(await updateRule(d, workspaceOf(request), idParam(request.params), request.body)));

  app.delete('/rules/:id', write, async (request, reply) => {
    await deleteRule(d, workspaceOf(request), idParam(request.params));
    return reply.code(204).send();
  });

  // 200 whatever the receivers said: `ok` per endpoint tells how each took it.
  app.post('/rules/:id/drill', write, async (request) => {
    emptyBody(request.body);
    return drillRule({ ...d, destinations: deps.destinations }, workspaceOf(request), idParam(request.params));
  });

  app.get('/alerts', alertsRead, async (request) => {
    const result = await listAlerts(d, workspaceOf(request), parseAlertQuery(request.query));
    return { data: result.items.map(alertJson), next_cursor: result.nextCursor };
  });

  app.get('/alerts/:id', alertsRead, async (request) => alertJson(await getAlert(d, workspaceOf(request), idParam(request.params))));

  app.post('/alerts/:id/ack', alertsWrite, async (request) => {
    emptyBody(request.body);
    const key = callerOf(request);
    return alertJson(await acknowledgeAlert(d, workspaceOf(request), idParam(request.params), `api_key:${key.name} (${key.id})`));
  });

  app.post('/alerts/:id/snooze', alertsWrite, async (request) => alertJson(await snoozeAlert(d, workspaceOf(request), idParam(request.params), request.body)));
}

function emptyBody(body: unknown): void {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Object.keys(body).length > 0)) {
    throw validationError([{ field: '(body)', message: 'must be empty' }]);
  }
}
