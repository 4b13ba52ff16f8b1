import { getLink } from '../links/get-link.ts';
import type { LinkDeps } from '../links/link-deps.ts';
import type { Page } from '../ports.ts';
import type { Click } from './click.ts';

/** Recent raw clicks of one link of the workspace, newest first. */
export async function listLinkClicks(deps: LinkDeps, workspaceId: string, linkId: string, cursor: string | undefined, limit: number): Promise<Page<Click>> {
  await getLink(deps, workspaceId, linkId);
  return deps.storage.clicks.listByLink(workspaceId, linkId, cursor === undefined ? { limit } : { cursor, limit });
}
