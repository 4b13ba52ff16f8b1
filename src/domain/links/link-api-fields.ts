import type { Link } from './link.ts';

/**
 * A link's editable fields under their API names (snake_case), in the order
 * the API shows them: the body of GET /links/{id} and the `changes` of
 * link.updated are built from this one mapping, so they can never disagree.
 */
export function linkApiFields(link: Link) {
  return {
    domain: link.domain,
    slug: link.slug,
    url: link.url,
    redirect_type: link.redirectType,
    title: link.title,
    tags: link.tags,
    campaign: link.campaign,
    utm: link.utm,
    priority: link.priority,
    owner: link.owner,
    expires_at: link.expiresAt,
    expired_url: link.expiredUrl,
    scheduled_changes: link.scheduledChanges,
    is_test: link.isTest,
    external_id: link.externalId,
    metadata: link.metadata,
  };
}
