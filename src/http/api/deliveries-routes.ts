import type { FastifyInstance } from 'fastify';
import { getDelivery } from '../../domain/delivery/get-delivery.ts';
import { listDeliveries } from '../../domain/delivery/list-deliveries.ts';
import { replayDelivery, replayEvent } from '../../domain/delivery/replay.ts';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../../domain/events/catalogue.ts';
import { getEvent } from '../../domain/events/get-event.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { parseDeliveryQuery } from './delivery-query.ts';
import { deliveryJson, deliveryWithAttemptsJson } from './delivery-view.ts';
import { deliveryDepsOf } from './endpoints-routes.ts';
import { idParam } from './query.ts';

/** The delivery log, events, replays and the event catalogue. */
export async function deliveriesRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const d = deliveryDepsOf(deps);
  const read = { onRequest: requireScope(deps.storage, 'deliveries:read') };
  const write = { onRequest: requireScope(deps.storage, 'deliveries:write') };
  const catalogue = { onRequest: requireScope(deps.storage, 'endpoints:read') };

  app.get('/deliveries', read, async (request) => {
    const page = await listDeliveries(d, workspaceOf(request), parseDeliveryQuery(request.query));
    return { data: page.items.map(deliveryJson), next_cursor: page.nextCursor };
  });

  app.get('/deliveries/:id', read, async (request) => {
    const { delivery, attempts } = await getDelivery(d, workspaceOf(request), idParam(request.params));
    return deliveryWithAttemptsJson(delivery, attempts);
  });

  // 202: queued again with the same webhook-id; the worker sends it.
  app.post('/deliveries/:id/replay', write, async (request, reply) => reply.code(202).send(await replayDelivery(d, workspaceOf(request), idParam(request.params))));

  app.get('/events/:id', read, async (request) => getEvent(d, workspaceOf(request), idParam(request.params)));

  app.post('/events/:id/replay', write, async (request, reply) => reply.code(202).send(await replayEvent(d, workspaceOf(request), idParam(request.params))));

  // The catalogue is the same for every workspace and changes only with a release: cacheable.
  const types = EVENT_TYPES.map((type) => ({ type, class: EVENT_CATALOGUE[type].class, description: EVENT_CATALOGUE[type].description, sample: EVENT_CATALOGUE[type].sample }));
  app.get('/event-types', catalogue, async (_request, reply) => reply.header('cache-control', 'private, max-age=300').send({ data: types }));
}
