import type { ActorPayload } from '../events/envelope.ts';
import { emitEvents } from '../events/emit-event.ts';
import { linkCreatedEvent } from '../events/link-events.ts';
import type { Repos } from '../ports.ts';
import { newId } from '../shared/ids.ts';
import { newLinkFromInput, pickRandomSlug, resolveLinkDomain } from './build-link.ts';
import { utmPolicyEvents } from './check-utm-policies.ts';
import type { LinkDeps } from './link-deps.ts';
import { eventContext } from './link-deps.ts';
import type { CreateLinkInput } from './link-input.ts';
import { createLinkSchema, parseOrThrow } from './link-input.ts';
import type { Link } from './link.ts';

/** Validates and builds the link without writing it (bulk create reuses this). */
export async function prepareLink(deps: LinkDeps, repos: Repos, workspaceId: string, body: unknown): Promise<Link> {
  const input: CreateLinkInput = parseOrThrow(createLinkSchema, body);
  const domain = await resolveLinkDomain(repos, workspaceId, deps.defaultHost, input.domain);
  const now = deps.clock.now();
  const slug = input.slug ?? (await pickRandomSlug(repos, domain));
  return newLinkFromInput(input, { id: newId('link', now.getTime()), workspaceId, domain, slug, now: now.toISOString() });
}

/** Creates the link and its link.created event (and link.utm_incomplete if a UTM policy says so) in one transaction (outbox). */
export async function createLink(deps: LinkDeps, workspaceId: string, body: unknown, actor?: ActorPayload): Promise<Link> {
  const link = await deps.storage.transaction(async (tx) => {
    const prepared = await prepareLink(deps, tx, workspaceId, body);
    await tx.links.insert(prepared);
    const ctx = eventContext(deps, new Date(prepared.createdAt), actor);
    await emitEvents(tx, [linkCreatedEvent(prepared, ctx), ...(await utmPolicyEvents(tx, [prepared], ctx))]);
    return prepared;
  });
  deps.signal?.notify();
  // A cached "unknown slug" answer for this (domain, slug) must go.
  await deps.storage.invalidate({ kind: 'link', domain: link.domain, slug: link.slug });
  return link;
}
