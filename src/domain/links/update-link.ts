import { notFound } from '../shared/errors.ts';
import { applyUpdate, resolveLinkDomain } from './build-link.ts';
import type { LinkDeps } from './link-deps.ts';
import { parseOrThrow, updateLinkSchema } from './link-input.ts';
import type { Link } from './link.ts';

export interface LinkUpdate {
  before: Link;
  after: Link;
}

export async function updateLink(deps: LinkDeps, workspaceId: string, id: string, body: unknown): Promise<LinkUpdate> {
  const input = parseOrThrow(updateLinkSchema, body);
  const result = await deps.storage.transaction(async (tx) => {
    const before = await tx.links.getById(workspaceId, id);
    if (!before) throw notFound('Link', id);
    const domain = input.domain === undefined ? before.domain : await resolveLinkDomain(tx, workspaceId, deps.defaultHost, input.domain);
    const after = applyUpdate(before, input, domain, deps.clock.now().toISOString());
    await tx.links.update(after);
    return { before, after };
  });
  // Both the old and the new (domain, slug) must leave every redirect cache.
  await deps.storage.invalidate({ kind: 'link', domain: result.before.domain, slug: result.before.slug });
  await deps.storage.invalidate({ kind: 'link', domain: result.after.domain, slug: result.after.slug });
  return result;
}
