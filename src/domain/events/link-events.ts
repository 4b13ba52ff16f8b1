import type { Link } from '../links/link.ts';
import { destinationOf } from '../links/resolve-destination.ts';
import type { EventOf } from './catalogue.ts';
import type { ActorPayload, EventEnvelope } from './envelope.ts';
import { linkPayload } from './event-payloads.ts';
import { diffLinks } from './link-changes.ts';
import { newEvent } from './new-event.ts';

// The events of link changes, built from the link before and after. The link
// use cases write them with emitEvent(s) in the same transaction as the change.

export interface LinkEventContext {
  now: Date;
  /** LINKHOOK_BASE_URL: short URLs in payloads are the ones users share. */
  baseUrl: string;
  customDomainScheme: string;
  actor: ActorPayload;
}

const payloadOf = (link: Link, ctx: LinkEventContext) => linkPayload(link, ctx.now, ctx.baseUrl, ctx.customDomainScheme);

export function linkCreatedEvent(link: Link, ctx: LinkEventContext): EventOf<'link.created'> {
  return newEvent('link.created', link.workspaceId, { link: payloadOf(link, ctx), actor: ctx.actor }, ctx.now);
}

export function linkDeletedEvent(link: Link, ctx: LinkEventContext): EventOf<'link.deleted'> {
  return newEvent('link.deleted', link.workspaceId, { link: payloadOf(link, ctx), actor: ctx.actor }, ctx.now);
}

/**
 * link.updated with the changed fields, plus link.destination_changed when
 * where a visitor lands changed (a new URL, new UTM values, or a scheduled
 * change added or removed that is already due). A PATCH that changes nothing
 * emits nothing: subscribers asked for changes, not for requests.
 */
export function linkUpdateEvents(before: Link, after: Link, ctx: LinkEventContext): EventEnvelope[] {
  const changes = diffLinks(before, after);
  if (Object.keys(changes).length === 0) return [];
  const link = payloadOf(after, ctx);
  const events: EventEnvelope[] = [newEvent('link.updated', after.workspaceId, { link, changes, actor: ctx.actor }, ctx.now)];
  const oldUrl = destinationOf(before, ctx.now);
  if (oldUrl !== link.destination_url) {
    events.push(
      newEvent(
        'link.destination_changed',
        after.workspaceId,
        { link, old_url: oldUrl, new_url: link.destination_url, actor: ctx.actor, changed_at: ctx.now.toISOString() },
        ctx.now,
      ),
    );
  }
  return events;
}
