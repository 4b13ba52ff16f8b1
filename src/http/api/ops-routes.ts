import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.ts';
import { sendError } from './error-handler.ts';

/** A health check must answer fast even when the database hangs: a load balancer waits on it. */
const PING_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** /healthz and /metrics: unauthenticated, for load balancers and Prometheus. */
export async function opsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await withTimeout(deps.storage.ping(), PING_TIMEOUT_MS);
    } catch (err) {
      request.log.warn({ err }, 'health check: storage unreachable');
      return sendError(reply, 'service_unavailable', 'The database is unreachable', { storage: deps.storage.dialect });
    }
    return { status: 'ok', storage: deps.storage.dialect };
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await deps.registry.metrics();
    return reply.header('cache-control', 'no-store').type(deps.registry.contentType).send(body);
  });
}
