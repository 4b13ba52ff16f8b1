import type { FastifyInstance } from 'fastify';
import { queryAnalytics } from '../../domain/analytics/query-analytics.ts';
import { getLinkStats } from '../../domain/clicks/get-link-stats.ts';
import { listLinkClicks } from '../../domain/clicks/list-link-clicks.ts';
import type { HttpDeps } from '../http-deps.ts';
import { parseAnalyticsQuery } from './analytics-query.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { clickJson } from './click-view.ts';
import { linkDepsOf } from './links-routes.ts';
import { idParam, parsePageQuery } from './query.ts';

/** Per-link analytics read from the click log. */
export async function analyticsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const linkDeps = linkDepsOf(deps);
  const analytics = { onRequest: requireScope(deps.storage, 'analytics:read') };

  // Grouped clicks and visitors over the workspace (docs/analytics.md).
  app.get('/analytics', analytics, async (request) => {
    const req = parseAnalyticsQuery(request.query, deps.settings.defaultHost);
    return { data: await queryAnalytics({ analytics: deps.storage.analytics, clock: deps.clock }, workspaceOf(request), req) };
  });

  app.get('/links/:id/clicks', analytics, async (request) => {
    const page = parsePageQuery(request.query);
    const result = await listLinkClicks(linkDeps, workspaceOf(request), idParam(request.params), page.cursor, page.limit);
    return { data: result.items.map(clickJson), next_cursor: result.nextCursor };
  });

  app.get('/links/:id/stats', analytics, async (request) => {
    const stats = await getLinkStats(linkDeps, workspaceOf(request), idParam(request.params));
    return { clicks: stats.clicks, scans: stats.scans, bots: stats.bots, test: stats.test };
  });
}
