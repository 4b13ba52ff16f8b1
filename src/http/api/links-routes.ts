import type { FastifyInstance } from 'fastify';
import { bulkCreateLinks } from '../../domain/links/bulk-create-links.ts';
import { createLink } from '../../domain/links/create-link.ts';
import { deleteLink } from '../../domain/links/delete-link.ts';
import { getLink, listLinks } from '../../domain/links/get-link.ts';
import type { LinkDeps } from '../../domain/links/link-deps.ts';
import { updateLink } from '../../domain/links/update-link.ts';
import { validationError } from '../../domain/shared/errors.ts';
import type { HttpDeps } from '../http-deps.ts';
import { actorOf, requireScope, workspaceOf } from './auth.ts';
import { linkJson } from './link-view.ts';
import { idParam, parseListLinksQuery } from './query.ts';

export function linkDepsOf(deps: HttpDeps): LinkDeps {
  const linkDeps: LinkDeps = {
    storage: deps.storage,
    clock: deps.clock,
    defaultHost: deps.settings.defaultHost,
    baseUrl: deps.settings.baseUrl,
    customDomainScheme: deps.settings.customDomainScheme,
  };
  if (deps.deliverySignal) linkDeps.signal = deps.deliverySignal;
  return linkDeps;
}

/** Link CRUD, list and bulk create. Handlers parse, call one use case, respond. */
export async function linksRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const linkDeps = linkDepsOf(deps);
  const read = { onRequest: requireScope(deps.storage, 'links:read') };
  const write = { onRequest: requireScope(deps.storage, 'links:write') };
  const view = (link: Parameters<typeof linkJson>[0]) => linkJson(link, deps.settings, deps.clock.now());

  app.post('/links', write, async (request, reply) => {
    const link = await createLink(linkDeps, workspaceOf(request), request.body, actorOf(request));
    return reply.code(201).header('location', `/api/v1/links/${link.id}`).send(view(link));
  });

  app.get('/links', read, async (request) => {
    const { filter, page } = parseListLinksQuery(request.query, deps.settings.defaultHost);
    const result = await listLinks(linkDeps, workspaceOf(request), filter, page.cursor, page.limit);
    return { data: result.items.map(view), next_cursor: result.nextCursor };
  });

  app.get('/links/:id', read, async (request) => view(await getLink(linkDeps, workspaceOf(request), idParam(request.params))));

  app.patch('/links/:id', write, async (request) => {
    const { after } = await updateLink(linkDeps, workspaceOf(request), idParam(request.params), request.body, actorOf(request));
    return view(after);
  });

  // 204 with no body: the caller named the link, there is nothing new to tell.
  app.delete('/links/:id', write, async (request, reply) => {
    await deleteLink(linkDeps, workspaceOf(request), idParam(request.params), actorOf(request));
    return reply.code(204).send();
  });

  // Always 200 when the request itself is valid, even if every row failed:
  // the per-row `ok` says what happened, and `created`/`failed` sum it up.
  app.post('/links/bulk', write, async (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw validationError([{ field: '(body)', message: 'must be an object {"links": [...]}' }]);
    }
    const unknown = Object.keys(body).filter((k) => k !== 'links');
    if (unknown.length > 0) throw validationError(unknown.map((field) => ({ field, message: 'unknown field' })));
    const rows = await bulkCreateLinks(linkDeps, workspaceOf(request), (body as { links?: unknown }).links, actorOf(request));
    const results = rows.map((r) => (r.ok ? { index: r.index, ok: true, link: view(r.link) } : r));
    const created = rows.filter((r) => r.ok).length;
    return { created, failed: rows.length - created, results };
  });
}
