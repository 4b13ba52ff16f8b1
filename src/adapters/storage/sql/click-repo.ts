import { sql } from 'kysely';
import type { LinkStats } from '../../../domain/clicks/click.ts';
import type { ClickRepo } from '../../../domain/ports.ts';
import { createClickCounts } from './click-counts.ts';
import type { RepoContext } from './repo-context.ts';
import { decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { clickFromRow } from './row-mapping.ts';

export function createClickRepo(ctx: RepoContext): ClickRepo {
  const { db, dialect } = ctx;
  const yes = dialect.bool(true);
  const no = dialect.bool(false);
  return {
    ...createClickCounts(ctx),

    async insertMany(clicks) {
      if (clicks.length === 0) return;
      // Each dialect has its own writer for this hot path (see sqlite-insert-clicks.ts, postgres-insert-clicks.ts).
      await dialect.insertClicks(clicks, ctx.inTx ? db : undefined);
    },

    async listByLink(workspaceId, linkId, page) {
      let q = db.selectFrom('clicks').selectAll().where('link_id', '=', linkId).where('workspace_id', '=', workspaceId);
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, clickFromRow);
    },

    async statsByLink(workspaceId, linkId): Promise<LinkStats> {
      // One pass over the link's clicks (index clicks_link_id). COUNT FILTER is
      // standard SQL that both engines speak (SQLite >= 3.30).
      const row = await db
        .selectFrom('clicks')
        .where('link_id', '=', linkId)
        .where('workspace_id', '=', workspaceId)
        .select([
          sql<number | string>`count(*) filter (where is_bot = ${no} and is_test = ${no})`.as('clicks'),
          sql<number | string>`count(*) filter (where is_bot = ${no} and is_test = ${no} and is_qr = ${yes})`.as('scans'),
          sql<number | string>`count(*) filter (where is_bot = ${yes} and is_test = ${no})`.as('bots'),
          sql<number | string>`count(*) filter (where is_test = ${yes})`.as('test'),
        ])
        .executeTakeFirstOrThrow();
      return { clicks: Number(row.clicks), scans: Number(row.scans), bots: Number(row.bots), test: Number(row.test) };
    },

    async countAll() {
      const row = await db
        .selectFrom('clicks')
        .select(sql<number | string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
