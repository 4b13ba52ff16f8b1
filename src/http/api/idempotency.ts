import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyRecord } from '../../domain/delivery/ports.ts';
import { AppError, validationError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { workspaceOf } from './auth.ts';

// `Idempotency-Key` on every API write (POST, PATCH, DELETE under /api/v1).
//
// Protocol, per (workspace, key):
// 1. Before the handler runs, an in-flight record (status 0) is inserted: the
//    primary key makes exactly one of several concurrent requests its owner.
// 2. The owner runs; its answer (status and body) is stored for 24 h. A 5xx
//    is not stored and the record is dropped: nothing was changed (use cases
//    are one transaction each), so retrying with the same key must work.
// 3. A repeat with the same method, path and body gets the stored answer,
//    with `Idempotent-Replayed: true`: no second change, no second event.
//    Another request under the same key, or a repeat while the first is still
//    running, is 409 idempotency_conflict (`details.reason` says which). We
//    answer at once rather than wait: a client retrying after a timeout
//    retries again, and nobody holds a connection open on our side.

/** Stored answers live 24 h: long enough for any client's retry schedule, short enough to keep the table small. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-flight record whose request died with its process stops blocking the
 * key after 5 minutes. Our slowest write (a 1,000-link bulk create) takes
 * seconds; a wrongly expired record would let a duplicate through, a long one
 * only delays a retry after a crash.
 */
export const IN_FLIGHT_TTL_MS = 5 * 60 * 1000;
/** Expired records are swept at most once an hour, on the way of a keyed write. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

const KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;
const WRITES = new Set(['POST', 'PATCH', 'DELETE']);

interface Claim {
  workspaceId: string;
  key: string;
  fingerprint: string;
  createdAt: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

function keyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !KEY_SHAPE.test(raw)) {
    throw validationError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters, sent once' }]);
  }
  return raw;
}

/** Method, path with query, and body: what "the same request" means. */
function fingerprintOf(request: FastifyRequest): string {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

function replayOrRefuse(reply: FastifyReply, record: IdempotencyRecord, fingerprint: string): FastifyReply {
  if (record.fingerprint !== fingerprint) {
    throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with a different request', { reason: 'different_request', key: record.key });
  }
  if (record.responseStatus === 0) {
    throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', { reason: 'in_progress', key: record.key });
  }
  reply.code(record.responseStatus).header('idempotent-replayed', 'true').header('cache-control', 'no-store');
  if (record.responseBody === '') return reply.send();
  return reply.type('application/json; charset=utf-8').send(record.responseBody);
}

export function registerIdempotency(app: FastifyInstance, deps: HttpDeps): void {
  const repo = deps.storage.idempotency;
  let lastSweep = 0;

  // preHandler: after authentication (the route's onRequest) and body parsing.
  app.addHook('preHandler', async (request, reply) => {
    if (!WRITES.has(request.method)) return;
    const key = keyOf(request);
    if (key === undefined) return;
    const workspaceId = workspaceOf(request);
    const fingerprint = fingerprintOf(request);
    const now = deps.clock.now();
    if (now.getTime() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      repo.deleteExpired(now.toISOString()).catch((err: unknown) => request.log.warn({ err }, 'idempotency sweep failed'));
    }

    const existing = await repo.get(workspaceId, key, now.toISOString());
    if (existing) return replayOrRefuse(reply, existing, fingerprint);
    const createdAt = now.toISOString();
    const claimed = await repo.insert({
      workspaceId,
      key,
      fingerprint,
      responseStatus: 0,
      responseBody: '',
      createdAt,
      expiresAt: new Date(now.getTime() + IN_FLIGHT_TTL_MS).toISOString(),
    });
    if (!claimed) {
      // Lost the race to a concurrent request: answer as its record says.
      const winner = await repo.get(workspaceId, key, createdAt);
      if (winner) return replayOrRefuse(reply, winner, fingerprint);
      throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', { reason: 'in_progress', key });
    }
    claims.set(request, { workspaceId, key, fingerprint, createdAt });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    try {
      if (reply.statusCode >= 500) {
        await repo.release(claim.workspaceId, claim.key, claim.fingerprint);
        return payload;
      }
      const body = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      const expiresAt = new Date(deps.clock.now().getTime() + IDEMPOTENCY_TTL_MS).toISOString();
      await repo.complete({ ...claim, responseStatus: reply.statusCode, responseBody: body, expiresAt });
    } catch (err) {
      // The change itself is committed; failing its answer now would only make
      // the client retry. The in-flight record expires on its own.
      request.log.error({ err, idempotency_key: claim.key }, 'could not store the idempotent answer');
    }
    return payload;
  });
}
