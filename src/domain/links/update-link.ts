import { emitEvents } from '../events/emit-event.ts';
import type { ActorPayload } from '../events/envelope.ts';
import { diffLinks } from '../events/link-changes.ts';
import { linkUpdateEvents } from '../events/link-events.ts';
import { notFound } from '../shared/errors.ts';
import { applyUpdate, resolveLinkDomain } from './build-link.ts';
import { utmPolicyEvents } from './check-utm-policies.ts';
import type { LinkDeps } from './link-deps.ts';
import { eventContext } from './link-deps.ts';
import { parseOrThrow, updateLinkSchema } from './link-input.ts';
import type { Link } from './link.ts';

export interface LinkUpdate {
  before: Link;
  after: Link;
}

/**
 * Applies a PATCH; link.updated (and link.destination_changed when the
 * destination moved) commit in the same transaction as the change.
 */
export async function updateLink(deps: LinkDeps, workspaceId: string, id: string, body: unknown, actor?: ActorPayload): Promise<LinkUpdate> {
  const input = parseOrThrow(updateLinkSchema, body);
  const result = await deps.storage.transaction(async (tx) => {
    const before = await tx.links.getById(workspaceId, id);
    if (!before) throw notFound('Link', id);
    const domain = input.domain === undefined ? before.domain : await resolveLinkDomain(tx, workspaceId, deps.defaultHost, input.domain);
    const after = applyUpdate(before, input, domain, deps.clock.now().toISOString());
    await tx.links.update(after);
    const ctx = eventContext(deps, new Date(after.updatedAt), actor);
    // UTM policies are checked when what they judge changed: re-sending the same
    // UTMs with a new title is not a new problem to report.
    const changes = diffLinks(before, after);
    const utmTouched = changes.utm !== undefined || changes.campaign !== undefined;
    await emitEvents(tx, [...linkUpdateEvents(before, after, ctx), ...(utmTouched ? await utmPolicyEvents(tx, [after], ctx) : [])]);
    return { before, after };
  });
  deps.signal?.notify();
  // Both the old and the new (domain, slug) must leave every redirect cache.
  await deps.storage.invalidate({ kind: 'link', domain: result.before.domain, slug: result.before.slug });
  await deps.storage.invalidate({ kind: 'link', domain: result.after.domain, slug: result.after.slug });
  return result;
}
