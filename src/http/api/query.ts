import { z } from 'zod';
import { normaliseHostname } from '../../domain/links/build-link.ts';
import { parseLimit } from '../../domain/links/get-link.ts';
import { zodProblems } from '../../domain/links/link-input.ts';
import type { LinkFilter } from '../../domain/ports.ts';
import { validationError } from '../../domain/shared/errors.ts';

// Query-string parsing for the API. Unknown parameters are refused (422) like
// unknown body fields: `?tags=x` silently listing every link is worse than an
// error naming the typo. A repeated parameter arrives as an array and is
// refused by z.string() the same way.

// Cursors are opaque ids; printable ASCII is all they ever contain.
const cursor = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be the next_cursor of a previous page');
const text = (max: number) => z.string().min(1).max(max);

const pageQuery = z.object({ cursor: cursor.optional(), limit: z.string().optional() }).strict();

const listLinksQuery = z
  .object({
    tag: text(64).optional(),
    campaign: text(200).optional(),
    domain: text(253).optional(),
    search: text(200).optional(),
    cursor: cursor.optional(),
    limit: z.string().optional(),
  })
  .strict();

function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown): z.output<S> {
  const r = schema.safeParse(query ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  return r.data as z.output<S>;
}

export interface PageParams {
  cursor: string | undefined;
  limit: number;
}

export function parsePageQuery(query: unknown): PageParams {
  const q = parseQuery(pageQuery, query);
  return { cursor: q.cursor, limit: parseLimit(q.limit) };
}

/** `domain=default` (or the default host itself) selects links on the default domain. */
function parseDomainFilter(raw: string, defaultHost: string): string | null {
  if (raw === 'default') return null;
  const host = normaliseHostname(raw);
  if (host === null) throw validationError([{ field: 'domain', message: 'must be a hostname, or "default" for the default domain' }]);
  return host === defaultHost ? null : host;
}

export function parseListLinksQuery(query: unknown, defaultHost: string): { filter: LinkFilter; page: PageParams } {
  const q = parseQuery(listLinksQuery, query);
  const filter: LinkFilter = {};
  if (q.tag !== undefined) filter.tag = q.tag;
  if (q.campaign !== undefined) filter.campaign = q.campaign;
  if (q.search !== undefined) filter.search = q.search;
  if (q.domain !== undefined) filter.domain = parseDomainFilter(q.domain, defaultHost);
  return { filter, page: { cursor: q.cursor, limit: parseLimit(q.limit) } };
}

export const QR_MIN_SIZE = 64;
export const QR_MAX_SIZE = 2048;
export const QR_DEFAULT_SIZE = 512;

const qrQuery = z
  .object({
    format: z.enum(['svg', 'png']).default('svg'),
    // 64 px is the smallest a phone camera reads reliably at arm's length;
    // 2,048 px covers print at 300 dpi up to ~17 cm while bounding CPU per request.
    size: z
      .string()
      .regex(/^\d{1,5}$/, 'must be an integer number of pixels')
      .transform(Number)
      .pipe(z.number().int().min(QR_MIN_SIZE, `must be at least ${QR_MIN_SIZE}`).max(QR_MAX_SIZE, `must be at most ${QR_MAX_SIZE}`))
      .default(String(QR_DEFAULT_SIZE)),
  })
  .strict();

export function parseQrQuery(query: unknown): { format: 'svg' | 'png'; size: number } {
  return parseQuery(qrQuery, query);
}

/** Path ids are checked by shape only; anything else is simply not found. */
export function idParam(params: unknown): string {
  const id = (params as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}
