import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
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
    disableRequestLogging: true,
    return503OnClosing: true,
  });
  await registerApi(app, deps);
  const redirects = await registerRedirects(app, deps);
  return { app, drain: () => redirects.drain() };
}
