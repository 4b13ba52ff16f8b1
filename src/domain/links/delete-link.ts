import { emitEvent } from '../events/emit-event.ts';
import type { ActorPayload } from '../events/envelope.ts';
import { linkDeletedEvent } from '../events/link-events.ts';
import { notFound } from '../shared/errors.ts';
import type { LinkDeps } from './link-deps.ts';
import { eventContext } from './link-deps.ts';
import type { Link } from './link.ts';

/** Deletes the link, with its link.deleted event; its clicks stay in the click log for reporting. */
export async function deleteLink(deps: LinkDeps, workspaceId: string, id: string, actor?: ActorPayload): Promise<Link> {
  const link = await deps.storage.transaction(async (tx) => {
    const found = await tx.links.getById(workspaceId, id);
    if (!found) throw notFound('Link', id);
    await tx.links.delete(workspaceId, id);
    await emitEvent(tx, linkDeletedEvent(found, eventContext(deps, deps.clock.now(), actor)));
    return found;
  });
  deps.signal?.notify();
  await deps.storage.invalidate({ kind: 'link', domain: link.domain, slug: link.slug });
  return link;
}
