// PLACEHOLDER: owned by the redirect work (hot path, click capture, group commit).
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.ts';

export async function registerRedirects(_app: FastifyInstance, _deps: HttpDeps): Promise<{ drain(): Promise<void> }> {
  return { drain: async () => {} };
}
