import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../http-deps.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { backtestRoutes } from './backtest-routes.ts';
import { clickImportRoutes } from './click-import-routes.ts';
import { domainsRoutes } from './domains-routes.ts';
import { deliveriesRoutes } from './deliveries-routes.ts';
import { endpointsRoutes } from './endpoints-routes.ts';
import { createErrorHandler, routeNotFound } from './error-handler.ts';
import { exportsRoutes } from './exports-routes.ts';
import { registerIdempotency } from './idempotency.ts';
import { linksRoutes } from './links-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { importsRoutes } from './imports-routes.ts';
import { qrRoutes } from './qr-routes.ts';
import { reportsRoutes } from './reports-routes.ts';
import { rulesRoutes } from './rules-routes.ts';

// Everything here lives in encapsulated plugins: the error handler, the body
// parser and the not-found handler apply to /api/*, /healthz and /metrics
// only, and leave the redirect routes (/{slug}, registered beside us) alone.

function countRequests(deps: HttpDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The route pattern, never the raw URL: ids in label values would make
    // one time series per link and exhaust Prometheus.
    const route = request.is404 ? 'not_found' : (request.routeOptions.url ?? 'unknown');
    deps.metrics.apiRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
  };
}

/** JSON bodies only; an empty body with a JSON content type counts as no body (POST .../verify). */
function jsonBodiesOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}

export async function registerApi(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const onError = createErrorHandler(app.initialConfig.bodyLimit ?? 1024 * 1024);

  await app.register(async (api) => {
    jsonBodiesOnly(api);
    api.setErrorHandler(onError);
    api.setNotFoundHandler(routeNotFound);
    api.addHook('onResponse', countRequests(deps));
    await api.register(
      async (v1) => {
        // Before the routes: its hooks cover every write registered below.
        registerIdempotency(v1, deps);
        await linksRoutes(v1, deps);
        await qrRoutes(v1, deps);
        await analyticsRoutes(v1, deps);
        await exportsRoutes(v1, deps);
        await domainsRoutes(v1, deps);
        await endpointsRoutes(v1, deps);
        await deliveriesRoutes(v1, deps);
        await rulesRoutes(v1, deps);
        await reportsRoutes(v1, deps);
        await importsRoutes(v1, deps);
        await backtestRoutes(v1, deps);
        await clickImportRoutes(v1, deps);
      },
      { prefix: '/v1' },
    );
  }, { prefix: '/api' });

  await app.register(async (ops) => {
    ops.setErrorHandler(onError);
    await opsRoutes(ops, deps);
  });
}
