import type { FastifyInstance } from 'fastify';
import { createEndpoint } from '../../domain/delivery/create-endpoint.ts';
import type { DeliveryDeps } from '../../domain/delivery/delivery-deps.ts';
import { deleteEndpoint } from '../../domain/delivery/delete-endpoint.ts';
import { getEndpoint, listEndpoints } from '../../domain/delivery/get-endpoint.ts';
import { replayFailed } from '../../domain/delivery/replay.ts';
import { rotateEndpointSecret } from '../../domain/delivery/rotate-endpoint-secret.ts';
import { updateEndpoint } from '../../domain/delivery/update-endpoint.ts';
import { sendTestEvent } from '../../domain/events/send-test-event.ts';
import { validationError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { endpointJson } from './endpoint-view.ts';
import { idParam, parsePageQuery } from './query.ts';

export function deliveryDepsOf(deps: HttpDeps): DeliveryDeps {
  const out: DeliveryDeps = { storage: deps.storage, clock: deps.clock, destinations: deps.destinations, checkOutboundUrl: (url) => deps.checkOutboundUrl(url) };
  if (deps.deliverySignal) out.signal = deps.deliverySignal;
  return out;
}

/** `{"since": ISO}`: the only body of POST /endpoints/{id}/replay. */
function sinceOf(body: unknown): string {
  const since = (body as { since?: unknown } | undefined)?.since;
  const extra = body !== null && typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'since') : [];
  if (extra.length > 0) throw validationError(extra.map((field) => ({ field, message: 'unknown field' })));
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since)) || !/^\d{4}-\d{2}-\d{2}T/.test(since)) {
    throw validationError([{ field: 'since', message: 'is required: an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' }]);
  }
  return since;
}

/** Endpoint CRUD, secret rotation, test send and replay of failed deliveries. */
export async function endpointsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const d = deliveryDepsOf(deps);
  const read = { onRequest: requireScope(deps.storage, 'endpoints:read') };
  const write = { onRequest: requireScope(deps.storage, 'endpoints:write') };
  const replay = { onRequest: requireScope(deps.storage, 'deliveries:write') };
  const now = () => deps.clock.now();

  // The secret is in this answer and never again (GETs show a prefix).
  app.post('/endpoints', write, async (request, reply) => {
    const endpoint = await createEndpoint(d, workspaceOf(request), request.body);
    return reply.code(201).header('location', `/api/v1/endpoints/${endpoint.id}`).send(endpointJson(endpoint, now(), { withSecret: true }));
  });

  app.get('/endpoints', read, async (request) => {
    const page = parsePageQuery(request.query);
    const result = await listEndpoints(d, workspaceOf(request), page.cursor === undefined ? { limit: page.limit } : { cursor: page.cursor, limit: page.limit });
    return { data: result.items.map((e) => endpointJson(e, now())), next_cursor: result.nextCursor };
  });

  app.get('/endpoints/:id', read, async (request) => endpointJson(await getEndpoint(d, workspaceOf(request), idParam(request.params)), now()));

  app.patch('/endpoints/:id', write, async (request) => endpointJson(await updateEndpoint(d, workspaceOf(request), idParam(request.params), request.body), now()));

  app.delete('/endpoints/:id', write, async (request, reply) => {
    await deleteEndpoint(d, workspaceOf(request), idParam(request.params));
    return reply.code(204).send();
  });

  app.post('/endpoints/:id/rotate-secret', write, async (request) => {
    const body = request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Object.keys(body).length > 0)) {
      throw validationError([{ field: '(body)', message: 'must be empty' }]);
    }
    const endpoint = await rotateEndpointSecret(d, workspaceOf(request), idParam(request.params));
    return endpointJson(endpoint, now(), { withSecret: true });
  });

  // 200 whatever the receiver said: the call worked, `ok` and `status` tell how the receiver took it.
  app.post('/endpoints/:id/test', write, async (request) => sendTestEvent(d, workspaceOf(request), idParam(request.params), request.body));

  // 202: the deliveries are queued, paced by the endpoint's rate limit; the log shows them go.
  app.post('/endpoints/:id/replay', replay, async (request, reply) => {
    const result = await replayFailed(d, workspaceOf(request), idParam(request.params), sinceOf(request.body));
    return reply.code(202).send(result);
  });
}
