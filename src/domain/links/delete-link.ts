import { notFound } from '../shared/errors.ts';
import type { LinkDeps } from './link-deps.ts';
import type { Link } from './link.ts';

/** Deletes the link; its clicks stay in the click log for reporting. */
export async function deleteLink(deps: LinkDeps, workspaceId: string, id: string): Promise<Link> {
  const link = await deps.storage.transaction(async (tx) => {
    const found = await tx.links.getById(workspaceId, id);
    if (!found) throw notFound('Link', id);
    await tx.links.delete(workspaceId, id);
    return found;
  });
  await deps.storage.invalidate({ kind: 'link', domain: link.domain, slug: link.slug });
  return link;
}
