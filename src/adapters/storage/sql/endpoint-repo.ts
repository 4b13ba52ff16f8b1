import { sql } from 'kysely';
import type { EndpointRepo } from '../../../domain/delivery/ports.ts';
import type { RepoContext } from './repo-context.ts';
import { decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { endpointFromRow, endpointToRow } from './delivery-rows.ts';
import { toIsoOrNull, toMs } from './row-mapping.ts';

export function createEndpointRepo(ctx: RepoContext): EndpointRepo {
  const { db, dialect } = ctx;
  const yes = dialect.bool(true);
  const no = dialect.bool(false);
  return {
    async insert(endpoint) {
      await db.insertInto('endpoints').values(endpointToRow(endpoint, dialect)).execute();
    },

    async update(endpoint) {
      const { id: _id, workspace_id: _ws, created_at: _created, ...row } = endpointToRow(endpoint, dialect);
      await db.updateTable('endpoints').set(row).where('id', '=', endpoint.id).where('workspace_id', '=', endpoint.workspaceId).execute();
    },

    async delete(workspaceId, id) {
      // deliveries, their attempts, the slot row and adapter state go with it: ON DELETE CASCADE.
      const res = await db.deleteFrom('endpoints').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('endpoints').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && endpointFromRow(row);
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('endpoints').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(endpointFromRow);
    },

    async list(workspaceId, page) {
      let q = db.selectFrom('endpoints').selectAll().where('workspace_id', '=', workspaceId);
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, endpointFromRow);
    },

    async listForFanOut(workspaceIds) {
      if (workspaceIds.length === 0) return [];
      const rows = await db
        .selectFrom('endpoints')
        .selectAll()
        .where('workspace_id', 'in', workspaceIds)
        .where((eb) => eb.or([eb('enabled', '=', yes), eb('disabled_reason', '=', 'failing')]))
        .orderBy('id')
        .execute();
      return rows.map(endpointFromRow);
    },

    async markFailing(id, at) {
      const row = await db
        .updateTable('endpoints')
        .set({ failing_since: sql<number>`coalesce(failing_since, ${toMs(at)})` })
        .where('id', '=', id)
        .returning('failing_since')
        .executeTakeFirst();
      return toIsoOrNull(row?.failing_since ?? null);
    },

    async markHealthy(id) {
      // The WHERE makes the common case (already healthy) write nothing.
      await db.updateTable('endpoints').set({ failing_since: null }).where('id', '=', id).where('failing_since', 'is not', null).execute();
    },

    async disable(id, reason, at, nextProbeAt) {
      const ms = toMs(at);
      const res = await db
        .updateTable('endpoints')
        .set({ enabled: no, disabled_reason: reason, disabled_at: ms, next_probe_at: nextProbeAt === null ? null : toMs(nextProbeAt), updated_at: ms })
        .where('id', '=', id)
        .where('enabled', '=', yes)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },

    async enableIf(id, reason, at) {
      const res = await db
        .updateTable('endpoints')
        .set({ enabled: yes, disabled_reason: null, disabled_at: null, failing_since: null, next_probe_at: null, updated_at: toMs(at) })
        .where('id', '=', id)
        .where('enabled', '=', no)
        .where('disabled_reason', '=', reason)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },

    async claimProbes(now, leaseUntil, limit) {
      let due = db
        .selectFrom('endpoints')
        .select('id')
        .where('disabled_reason', '=', 'failing')
        .where('enabled', '=', no)
        .where('next_probe_at', '<=', toMs(now))
        .orderBy('next_probe_at')
        .limit(limit);
      if (dialect.name === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await db.updateTable('endpoints').set({ next_probe_at: toMs(leaseUntil) }).where('id', 'in', due).returningAll().execute();
      return rows.map(endpointFromRow);
    },

    async scheduleProbe(id, at) {
      await db.updateTable('endpoints').set({ next_probe_at: toMs(at) }).where('id', '=', id).where('disabled_reason', '=', 'failing').execute();
    },

    async reserveSlot(key, nowMs, intervalMs) {
      // One statement, atomic on both engines (PostgreSQL locks the row for
      // the ON CONFLICT update; SQLite has one writer): the slot starts at the
      // later of now and the next free slot, and the next free slot moves one
      // interval past it. Every worker of every process shares the row.
      const row = await db
        .insertInto('rate_slots')
        .values({ slot_key: key, next_at: nowMs + intervalMs })
        .onConflict((oc) =>
          oc.column('slot_key').doUpdateSet({
            next_at: sql<number>`(case when rate_slots.next_at > ${nowMs} then rate_slots.next_at else ${nowMs} end) + ${intervalMs}`,
          }),
        )
        .returning('next_at')
        .executeTakeFirstOrThrow();
      return Number(row.next_at) - intervalMs;
    },
  };
}
