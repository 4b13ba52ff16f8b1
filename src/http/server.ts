import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { handleFrameworkError } from './api/error-handler.ts';
import { PAGES } from './redirect/pages.ts';
import { sendPage } from './redirect/respond.ts';
import { registerApi } from './api/register-api.ts';
import type { HttpDeps } from './http-deps.ts';
import { registerRedirects } from './redirect/register-redirects.ts';

export interface HttpServer {
  app: FastifyInstance;
  /** Flushes pending clicks and stops background work; call before closing storage. */
  drain(): Promise<void>;
}

/**
 * One Fastify instance serves the API (/api/v1), /healthz, /metrics and the
 * redirects (/{slug} on every domain).
 */
export async function createHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const app = Fastify({
    logger: deps.settings.logLevel === 'silent' ? false : { level: deps.settings.logLevel },
    trustProxy: deps.settings.trustProxy,
    // 1 MiB fits a 1,000-link bulk request with room to spare.
    bodyLimit: 1024 * 1024,
    // A log line per redirect would cost more than the redirect; /metrics counts them.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Broken percent-encoding or an overlong path segment: our JSON error on
    // the API, the visitor's 404 page on a short link (no such slug can exist).
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
      if (/^\/(api|healthz|metrics)(\/|\?|$)/.test(request.url)) void handleFrameworkError(err, request, reply);
      else void sendPage(reply, PAGES.notFound);
    },
  });
  await registerApi(app, deps);
  const redirects = await registerRedirects(app, deps);
  return { app, drain: () => redirects.drain() };
}
