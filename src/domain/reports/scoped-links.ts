import type { Link } from '../links/link.ts';
import type { Repos } from '../ports.ts';
import type { ReportScope } from './report-schedule.ts';

// The links a report covers. The link list port filters by one tag, a
// campaign and a domain; the rest (several tags, ids, priorities) is
// filtered here. Test links never appear in a report: their traffic is
// excluded anyway, and "no activity" on a test link is not news.

const PAGE = 500;

function matches(link: Link, scope: ReportScope): boolean {
  if (link.isTest) return false;
  if (scope.link_ids && !scope.link_ids.includes(link.id)) return false;
  if (scope.tags && scope.tags.length > 0 && !scope.tags.some((t) => link.tags.includes(t))) return false;
  if (scope.campaign !== undefined && link.campaign !== scope.campaign) return false;
  if (scope.domain !== undefined && link.domain !== scope.domain) return false;
  if (scope.priority && !scope.priority.includes(link.priority)) return false;
  return true;
}

export async function scopedLinks(repos: Pick<Repos, 'links'>, workspaceId: string, scope: ReportScope): Promise<Link[]> {
  if (scope.link_ids) {
    const found = await Promise.all(scope.link_ids.map((id) => repos.links.getById(workspaceId, id)));
    return found.filter((l): l is Link => l !== undefined && matches(l, scope));
  }
  const filter = {
    ...(scope.campaign !== undefined ? { campaign: scope.campaign } : {}),
    ...(scope.domain !== undefined ? { domain: scope.domain } : {}),
    ...(scope.tags?.length === 1 ? { tag: scope.tags[0] } : {}),
  };
  const out: Link[] = [];
  let cursor: string | undefined;
  do {
    const page = await repos.links.list(workspaceId, filter, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.filter((l) => matches(l, scope)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
