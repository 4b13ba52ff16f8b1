import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { getLink } from '../../domain/links/get-link.ts';
import { qrTargetUrl } from '../../domain/links/short-url.ts';
import type { HttpDeps } from '../http-deps.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { linkDepsOf } from './links-routes.ts';
import { idParam, parseQrQuery } from './query.ts';

const CONTENT_TYPES = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;

/**
 * The QR code of a link's short URL plus the scan marker (lh_qr=1), so the
 * redirect can tell a scan from a click. The image depends only on the
 * encoded text, format and size, so the ETag is a hash of those: a changed
 * slug or domain changes it, and an unchanged one revalidates with a 304.
 */
export async function qrRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const linkDeps = linkDepsOf(deps);
  app.get('/links/:id/qr', { onRequest: requireScope(deps.storage, 'links:read') }, async (request, reply) => {
    const { format, size } = parseQrQuery(request.query);
    const link = await getLink(linkDeps, workspaceOf(request), idParam(request.params));
    const text = qrTargetUrl(link, deps.settings.baseUrl, deps.settings.customDomainScheme);
    const etag = `"${createHash('sha256').update(`${format}\n${size}\n${text}`).digest('base64url').slice(0, 27)}"`;
    // private: the response sits behind an API key; an hour keeps dashboards
    // from re-rendering while a renamed link still shows up within the hour.
    reply.header('cache-control', 'private, max-age=3600').header('etag', etag).header('vary', 'authorization');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const body = format === 'png' ? await deps.qr.png(text, size) : await deps.qr.svg(text, size);
    return reply.type(CONTENT_TYPES[format]).send(body);
  });
}
