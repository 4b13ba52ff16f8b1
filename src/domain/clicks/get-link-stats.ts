import { getLink } from '../links/get-link.ts';
import type { LinkDeps } from '../links/link-deps.ts';
import type { LinkStats } from './click.ts';

/**
 * Counts for one link, from the click log (no hot-row counter exists). The
 * link must be in the caller's workspace: another workspace's link is 404.
 */
export async function getLinkStats(deps: LinkDeps, workspaceId: string, linkId: string): Promise<LinkStats> {
  await getLink(deps, workspaceId, linkId);
  return deps.storage.clicks.statsByLink(workspaceId, linkId);
}
