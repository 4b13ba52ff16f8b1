import type { FastifyInstance } from 'fastify';
import { backtestRuleById } from '../../domain/rules/backtest.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { idParam } from './query.ts';

/**
 * POST /rules/{id}/backtest {from, to}: when, and for which link, the rule
 * would have fired over that period of stored clicks. Read-only (no alert,
 * no event): rules:read, like reading the rule — a POST only because its
 * input is a body.
 */
export async function backtestRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const read = { onRequest: requireScope(deps.storage, 'rules:read') };
  app.post('/rules/:id/backtest', read, async (request) => backtestRuleById(deps.storage, workspaceOf(request), idParam(request.params), request.body));
}
