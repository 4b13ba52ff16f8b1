// The one closed catalogue of error codes the API can answer with. Every code
// is documented in docs/errors.md; test/errors-doc.test.ts keeps the two in sync.
// Adding a code means adding it here AND documenting it, or the suite fails.
export const ERROR_CODES = {
  validation_failed: { status: 422, description: 'A field is missing or invalid. `details.fields` lists each field with its problem.' },
  invalid_json: { status: 400, description: 'The request body is not valid JSON.' },
  bad_request: { status: 400, description: 'The HTTP request itself is malformed (e.g. a Content-Length that does not match the body).' },
  unsupported_media_type: { status: 415, description: 'The request body is not `application/json` (or `text/csv` where an endpoint accepts CSV).' },
  payload_too_large: { status: 413, description: 'The request body exceeds the size limit.' },
  unauthorized: { status: 401, description: 'No API key, or the key is unknown or revoked. Send `Authorization: Bearer lh_...`.' },
  forbidden: { status: 403, description: "The API key lacks the scope this call needs. `details.required_scope` names it." },
  not_found: { status: 404, description: 'No such object in this workspace (objects of other workspaces are reported as not found too).' },
  route_not_found: { status: 404, description: 'No API route matches this method and path.' },
  slug_taken: { status: 409, description: 'The slug is already used on that domain.' },
  domain_taken: { status: 409, description: 'The custom domain is already registered.' },
  domain_in_use: { status: 409, description: 'The custom domain still has links; delete or move them before deleting the domain.' },
  domain_not_verified: { status: 422, description: 'Links can only be created on the default domain or on a custom domain of this workspace.' },
  destination_blocked: {
    status: 422,
    description: "The endpoint's URL resolves to a private, loopback, link-local, multicast or cloud metadata address that `LINKHOOK_OUTBOUND_ALLOW` does not allow.",
  },
  idempotency_conflict: { status: 409, description: 'The same `Idempotency-Key` was used with a different request.' },
  rate_limited: { status: 429, description: 'Too many requests; retry after the number of seconds in `Retry-After`.' },
  internal_error: { status: 500, description: 'An unexpected error on our side. It is logged with the request id in `details.request_id`.' },
  service_unavailable: { status: 503, description: 'The server is starting, shutting down, or cannot reach its database.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the API reports to the caller as-is: a code from the catalogue, a message, details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function validationError(fields: FieldProblem[]): AppError {
  const first = fields[0];
  const message = first ? `${first.field}: ${first.message}` : 'Invalid input';
  return new AppError('validation_failed', message, { fields });
}

export function notFound(what: string, id: string): AppError {
  return new AppError('not_found', `${what} ${id} not found`, { id });
}
