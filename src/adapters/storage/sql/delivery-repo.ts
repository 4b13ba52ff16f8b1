import { sql } from 'kysely';
import type { DeliveryRepo, DeliveryStatus } from '../../../domain/delivery/ports.ts';
import type { DeliveriesTable } from './database.ts';
import type { Insertable } from 'kysely';
import { createDeliveryQueue } from './delivery-queue.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic, decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { attemptFromRow, deliveryFromRow } from './delivery-rows.ts';
import { toMs } from './row-mapping.ts';

/**
 * Rows per multi-row INSERT: 500 × 11 columns = 5,500 parameters, under both
 * engines' limits (32,766 / 65,535). One event fanned out to a few endpoints
 * is one statement; a 1,000-link import to 5 endpoints is ten.
 */
const DELIVERY_ROWS_PER_STATEMENT = 500;

export function createDeliveryRepo(ctx: RepoContext): DeliveryRepo {
  const { db } = ctx;
  return {
    ...createDeliveryQueue(ctx),

    async insertMany(deliveries) {
      if (deliveries.length === 0) return 0;
      const rows: Insertable<DeliveriesTable>[] = deliveries.map((d) => {
        const at = toMs(d.createdAt);
        return {
          id: d.id,
          event_id: d.eventId,
          endpoint_id: d.endpointId,
          workspace_id: d.workspaceId,
          event_type: d.eventType,
          status: d.status,
          attempts: 0,
          retry_base: 0,
          // Due at once; a held delivery waits for its endpoint's recovery instead.
          next_attempt_at: d.status === 'pending' ? at : null,
          created_at: at,
          updated_at: at,
        };
      });
      return atomic(ctx, async (tx) => {
        let inserted = 0;
        for (let i = 0; i < rows.length; i += DELIVERY_ROWS_PER_STATEMENT) {
          const res = await tx
            .insertInto('deliveries')
            .values(rows.slice(i, i + DELIVERY_ROWS_PER_STATEMENT))
            .onConflict((oc) => oc.columns(['event_id', 'endpoint_id']).doNothing())
            .executeTakeFirst();
          inserted += Number(res.numInsertedOrUpdatedRows ?? 0n);
        }
        return inserted;
      });
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('deliveries').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && deliveryFromRow(row);
    },

    async list(workspaceId, filter, page) {
      let q = db.selectFrom('deliveries').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.endpointId !== undefined) q = q.where('endpoint_id', '=', filter.endpointId);
      if (filter.eventType !== undefined) q = q.where('event_type', '=', filter.eventType);
      if (filter.eventId !== undefined) q = q.where('event_id', '=', filter.eventId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter.since !== undefined) q = q.where('created_at', '>=', toMs(filter.since));
      if (filter.until !== undefined) q = q.where('created_at', '<', toMs(filter.until));
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, deliveryFromRow);
    },

    async listAttempts(deliveryId) {
      const rows = await db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('n').execute();
      return rows.map(attemptFromRow);
    },

    async listHeld(endpointId, limit) {
      const rows = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'held')
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(deliveryFromRow);
    },

    async countByStatus(endpointId) {
      let q = db.selectFrom('deliveries').select(['status', sql<number | string>`count(*)`.as('n')]);
      if (endpointId !== undefined) q = q.where('endpoint_id', '=', endpointId);
      const rows = await q.groupBy('status').execute();
      const out: Partial<Record<DeliveryStatus, number>> = {};
      for (const r of rows) out[r.status as DeliveryStatus] = Number(r.n);
      return out;
    },
  };
}
