import { sql } from 'kysely';
import type { Click, LinkStats } from '../../../domain/clicks/click.ts';
import type { ClickRepo } from '../../../domain/ports.ts';
import type { Db } from './database.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic, decodeCursor, fetchSize, toPage } from './repo-context.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { CLICK_COLUMNS, clickFromRow, clickToRow } from './row-mapping.ts';

/** Rows per INSERT that keep its bind parameters under the driver's limit: 2,730 on PostgreSQL (65,535 / 24). */
export function clicksPerStatement(dialect: SqlDialect): number {
  return Math.floor(dialect.maxParams / CLICK_COLUMNS.length);
}

/**
 * The portable click writer: multi-row INSERTs, chunked under the parameter
 * limit. A group commit of 512 clicks is one statement on PostgreSQL; when it
 * fits one statement and no transaction is open we skip BEGIN/COMMIT, since a
 * single statement is atomic on its own (two round trips saved per batch).
 */
export async function insertClickRows(ctx: RepoContext, clicks: readonly Click[]): Promise<void> {
  const per = clicksPerStatement(ctx.dialect);
  const write = async (db: Db): Promise<void> => {
    for (let i = 0; i < clicks.length; i += per) {
      await db
        .insertInto('clicks')
        .values(clicks.slice(i, i + per).map((c) => clickToRow(c, ctx.dialect)))
        .execute();
    }
  };
  if (clicks.length <= per) await write(ctx.db);
  else await atomic(ctx, write);
}

export function createClickRepo(ctx: RepoContext): ClickRepo {
  const { db, dialect } = ctx;
  const yes = dialect.bool(true);
  const no = dialect.bool(false);
  return {
    async insertMany(clicks) {
      if (clicks.length === 0) return;
      if (dialect.insertClicks) await dialect.insertClicks(clicks, ctx.inTx ? db : undefined);
      else await insertClickRows(ctx, clicks);
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
