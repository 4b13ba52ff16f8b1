// PLACEHOLDER: owned by the API work (error handler, auth, /api/v1 routes, /healthz, /metrics).
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.ts';

export async function registerApi(_app: FastifyInstance, _deps: HttpDeps): Promise<void> {}
