import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { zodProblems } from '../../domain/links/link-input.ts';
import type { ErrorCode } from '../../domain/shared/errors.ts';
import { AppError, ERROR_CODES, validationError } from '../../domain/shared/errors.ts';

// Every error the API answers has one shape, {"error": {code, message,
// details}}, with a code from the closed catalogue (docs/errors.md). Fastify's
// own errors (body parsing, limits) are translated here so no framework code
// ever leaks to a caller.

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(ERROR_CODES[code].status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, details } });
}

/** Fastify error codes raised before our handler runs, mapped into the catalogue. */
function fromFramework(err: FastifyError, request: FastifyRequest, bodyLimit: number): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const sent = request.headers['content-type'] ?? '(none)';
      return new AppError('unsupported_media_type', `Content-Type ${sent} is not supported; send application/json`, { content_type: sent });
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', `The request body exceeds ${bodyLimit} bytes`, { limit_bytes: bodyLimit });
    default:
      break;
  }
  // Any other framework error that blames the request (bad Content-Length, an
  // aborted upload, a forbidden __proto__ key) is the caller's, not ours.
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('bad_request', err.message, err.code ? { reason: err.code } : {});
  }
  return null;
}

function toAppError(err: unknown, request: FastifyRequest, bodyLimit: number): AppError | null {
  if (err instanceof AppError) return err;
  // A schema parsed outside parseOrThrow still reports as validation, not 500.
  if (err instanceof ZodError) return validationError(zodProblems(err));
  if (err instanceof Error) return fromFramework(err as FastifyError, request, bodyLimit);
  return null;
}

export function createErrorHandler(bodyLimit: number) {
  return function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const known = toAppError(err, request, bodyLimit);
    if (known && known.status < 500) return sendError(reply, known.code, known.message, known.details);
    // Unexpected (or our own 5xx): log everything, tell the caller only the
    // request id they can quote to an operator.
    request.log.error({ err, request_id: request.id, url: request.url, method: request.method }, 'API request failed');
    if (known) return sendError(reply, known.code, known.message, { ...known.details, request_id: request.id });
    return sendError(reply, 'internal_error', 'Something went wrong on our side; the error is logged', { request_id: request.id });
  };
}

export async function routeNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = request.url.split('?')[0] ?? request.url;
  return sendError(reply, 'route_not_found', `No route ${request.method} ${path}`, { method: request.method, path });
}

/**
 * For Fastify's `frameworkErrors` option: errors raised before routing (a
 * malformed percent-encoding, a path parameter over maxParamLength), which
 * no route's error handler sees. Without it they answer in Fastify's own shape.
 */
export function handleFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = (request.url.split('?')[0] ?? '').slice(0, 200);
  return sendError(reply, 'bad_request', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long' : 'The URL is malformed', { reason: err.code, path });
}
