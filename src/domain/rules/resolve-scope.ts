import type { Link } from '../links/link.ts';
import type { LinkFilter, Repos } from '../ports.ts';
import type { RuleScope } from './rule.ts';

// Which links a rule watches, resolved once per evaluation. The storage list
// narrows by one indexed key (a tag, the campaign, the domain); the rest of
// the scope is checked here, so every scope key means the same thing
// whatever the storage can filter on. Test links never count (like test
// traffic), so they are left out of every scope.

/** Links per page while walking a workspace: 500 keeps each query small and a 10k-link workspace at 20 queries. */
const PAGE = 500;

export function linkInScope(link: Link, scope: RuleScope): boolean {
  if (link.isTest) return false;
  if (scope.link_ids !== undefined && !scope.link_ids.includes(link.id)) return false;
  if (scope.tags !== undefined && !scope.tags.some((t) => link.tags.includes(t))) return false;
  if (scope.campaign !== undefined && link.campaign !== scope.campaign) return false;
  if (scope.domain !== undefined && link.domain !== scope.domain) return false;
  if (scope.priority !== undefined && !scope.priority.includes(link.priority)) return false;
  return true;
}

/** The workspace's links in the scope, oldest first (stable order for evaluators and tests). */
export async function resolveScope(repos: Pick<Repos, 'links'>, workspaceId: string, scope: RuleScope): Promise<Link[]> {
  const out: Link[] = [];
  if (scope.link_ids !== undefined) {
    for (const id of scope.link_ids) {
      const link = await repos.links.getById(workspaceId, id);
      if (link && linkInScope(link, scope)) out.push(link);
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }
  const filter: LinkFilter = {};
  if (scope.campaign !== undefined) filter.campaign = scope.campaign;
  if (scope.domain !== undefined) filter.domain = scope.domain;
  if (scope.tags?.length === 1) filter.tag = scope.tags[0];
  let cursor: string | undefined;
  do {
    const page = await repos.links.list(workspaceId, filter, cursor === undefined ? { limit: PAGE } : { cursor, limit: PAGE });
    for (const link of page.items) if (linkInScope(link, scope)) out.push(link);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
