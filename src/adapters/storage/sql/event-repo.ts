import type { EventRepo } from '../../../domain/delivery/ports.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic, decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { eventFromRow, eventToRow } from './delivery-rows.ts';
import { toMs } from './row-mapping.ts';

/**
 * Rows per multi-row INSERT: 500 events × 5 columns = 2,500 parameters, far
 * under SQLite's 32,766 and PostgreSQL's 65,535, and a bulk import of 1,000
 * links writes its events in two statements.
 */
export const EVENT_ROWS_PER_STATEMENT = 500;

export function createEventRepo(ctx: RepoContext): EventRepo {
  const { db } = ctx;
  return {
    async insert(event) {
      await db.insertInto('events').values(eventToRow(event)).execute();
    },

    async insertMany(events) {
      if (events.length === 0) return;
      await atomic(ctx, async (tx) => {
        for (let i = 0; i < events.length; i += EVENT_ROWS_PER_STATEMENT) {
          await tx.insertInto('events').values(events.slice(i, i + EVENT_ROWS_PER_STATEMENT).map(eventToRow)).execute();
        }
      });
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('events').select('payload').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && eventFromRow(row);
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('events').select('payload').where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(eventFromRow);
    },

    async list(workspaceId, filter, page) {
      let q = db.selectFrom('events').select(['id', 'payload']).where('workspace_id', '=', workspaceId);
      if (filter.type !== undefined) q = q.where('type', '=', filter.type);
      if (filter.since !== undefined) q = q.where('ts', '>=', toMs(filter.since));
      if (filter.until !== undefined) q = q.where('ts', '<', toMs(filter.until));
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, eventFromRow);
    },
  };
}
