import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ActorPayload } from '../../domain/events/envelope.ts';
import type { Storage } from '../../domain/ports.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { API_KEY_PREFIX, hashApiKey } from '../../domain/workspaces/create-api-key.ts';
import type { ApiKey, Scope } from '../../domain/workspaces/workspace.ts';
import { hasScope } from '../../domain/workspaces/workspace.ts';

// Who is calling: the API key behind `Authorization: Bearer lh_...`. Kept in
// a WeakMap rather than a request decorator so no global Fastify type changes
// and the redirect hot path carries no extra field.
const callers = new WeakMap<FastifyRequest, ApiKey>();

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message);
}

async function authenticate(storage: Storage, header: string | undefined): Promise<ApiKey> {
  if (header === undefined || header.trim() === '') throw unauthorized(`Missing API key: send Authorization: Bearer ${API_KEY_PREFIX}...`);
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw unauthorized(`Malformed Authorization header: expected Bearer ${API_KEY_PREFIX}...`);
  // Not ours at all: no need to ask the database.
  if (!token.startsWith(API_KEY_PREFIX) || token.length > 200) throw unauthorized('Unknown or revoked API key');
  const key = await storage.apiKeys.getByHash(hashApiKey(token));
  if (!key || key.revokedAt !== null) throw unauthorized('Unknown or revoked API key');
  return key;
}

/**
 * An onRequest hook for one route: authenticates, then checks the scope. It
 * runs before the body is read, so an anonymous caller learns nothing about
 * what the body would have done, and pays no parsing cost.
 */
export function requireScope(storage: Storage, scope: Scope): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let key: ApiKey;
    try {
      key = await authenticate(storage, request.headers.authorization);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
      throw err;
    }
    if (!hasScope(key, scope)) {
      throw new AppError('forbidden', `This API key lacks the ${scope} scope`, { required_scope: scope, key_scopes: key.scopes });
    }
    callers.set(request, key);
  };
}

/** The API key of the authenticated caller; only valid behind requireScope. */
export function callerOf(request: FastifyRequest): ApiKey {
  const key = callers.get(request);
  if (!key) throw new Error('callerOf() called on a route without requireScope');
  return key;
}

/** The workspace of the authenticated caller; only valid behind requireScope. */
export function workspaceOf(request: FastifyRequest): string {
  return callerOf(request).workspaceId;
}

/** Who made a change through the API, as events record it: the key's id and name, never the key. */
export function actorOf(request: FastifyRequest): ActorPayload {
  const key = callerOf(request);
  return { type: 'api_key', id: key.id, name: key.name };
}
