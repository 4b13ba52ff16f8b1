import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Utm } from '../../../domain/links/link.ts';
import type { HealthCheck, HealthStatus, LinkHealthState, LinkMonitorRepo, LinkScan } from '../../../domain/links/link-monitor.ts';
import type { LinkHealthTable } from './database.ts';
import type { RepoContext } from './repo-context.ts';
import { linkFromRow, parseJson, toIso, toIsoOrNull, toMs, toMsOrNull } from './row-mapping.ts';

// The health monitor's and lifecycle sweep's state (migration 0005_link_health).
// Claims and notices are single statements whose row count says who won, so
// any number of workers can run the same sweep.

function healthFromRow(r: Selectable<LinkHealthTable>): LinkHealthState {
  return {
    linkId: r.link_id,
    workspaceId: r.workspace_id,
    status: r.status as HealthStatus,
    consecutiveFailures: Number(r.consecutive_failures),
    failingSince: toIsoOrNull(r.failing_since),
    lastCheck: r.last_check === null ? null : parseJson<HealthCheck>(r.last_check),
    nextCheckAt: toIso(r.next_check_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function createLinkMonitorRepo(ctx: RepoContext): LinkMonitorRepo {
  const { db, dialect } = ctx;
  const no = dialect.bool(false);
  const yes = dialect.bool(true);

  const scanPage = (scan: LinkScan) => {
    let q = db.selectFrom('links').selectAll();
    if (scan.afterId !== undefined) q = q.where('id', '>', scan.afterId);
    return q;
  };

  return {
    async listHealth(linkIds) {
      if (linkIds.length === 0) return [];
      const rows = await db.selectFrom('link_health').selectAll().where('link_id', 'in', [...linkIds]).execute();
      return rows.map(healthFromRow);
    },

    async claimHealthCheck(link, now, leaseUntil) {
      const nowMs = toMs(now);
      const leaseMs = toMs(leaseUntil);
      // First check of a link: the insert is the claim.
      const inserted = await db
        .insertInto('link_health')
        .values({
          link_id: link.id,
          workspace_id: link.workspaceId,
          status: 'healthy',
          consecutive_failures: 0,
          failing_since: null,
          last_check: null,
          next_check_at: leaseMs,
          updated_at: nowMs,
        })
        .onConflict((oc) => oc.column('link_id').doNothing())
        .executeTakeFirst();
      if (inserted.numInsertedOrUpdatedRows === 1n) return true;
      const res = await db
        .updateTable('link_health')
        .set({ next_check_at: leaseMs })
        .where('link_id', '=', link.id)
        .where('next_check_at', '<=', nowMs)
        .executeTakeFirst();
      return res.numUpdatedRows === 1n;
    },

    async saveHealth(s) {
      await db
        .updateTable('link_health')
        .set({
          status: s.status,
          consecutive_failures: s.consecutiveFailures,
          failing_since: toMsOrNull(s.failingSince),
          last_check: s.lastCheck === null ? null : JSON.stringify(s.lastCheck),
          next_check_at: toMs(s.nextCheckAt),
          updated_at: toMs(s.updatedAt),
        })
        .where('link_id', '=', s.linkId)
        .execute();
    },

    async recordNotice(link, key, at) {
      const res = await db
        .insertInto('link_notices')
        .values({ link_id: link.id, key, workspace_id: link.workspaceId, created_at: toMs(at) })
        .onConflict((oc) => oc.columns(['link_id', 'key']).doNothing())
        .executeTakeFirst();
      return res.numInsertedOrUpdatedRows === 1n;
    },

    async listExpiringBetween(from, to, scan) {
      const rows = await scanPage(scan)
        .where('expires_at', 'is not', null)
        .where('expires_at', '>=', toMs(from))
        .where('expires_at', '<=', toMs(to))
        .orderBy('id')
        .limit(scan.limit)
        .execute();
      return rows.map(linkFromRow);
    },

    async listWithScheduledChanges(scan) {
      // Same predicate as the partial index links_scheduled, so it is used.
      const notEmpty = dialect.name === 'postgres' ? sql<boolean>`scheduled_changes <> '[]'::jsonb` : sql<boolean>`scheduled_changes <> '[]'`;
      const rows = await scanPage(scan).where(notEmpty).orderBy('id').limit(scan.limit).execute();
      return rows.map(linkFromRow);
    },

    async countLinkClicks(linkId, from, to, opts) {
      let q = db
        .selectFrom('clicks')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('link_id', '=', linkId)
        .where('ts', '>=', toMs(from))
        .where('ts', '<', toMs(to))
        .where('is_test', '=', no);
      if (opts?.includeBots !== true) q = q.where('is_bot', '=', no);
      if (opts?.qr === true) q = q.where('is_qr', '=', yes);
      const row = await q.executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async utmUsage(workspaceId) {
      // Grouped in SQL: a workspace has far fewer distinct UTM sets than links.
      const rows = await db
        .selectFrom('links')
        .select(['utm', sql<number | string>`count(*)`.as('n')])
        .where('workspace_id', '=', workspaceId)
        .where('is_test', '=', no)
        .groupBy('utm')
        .execute();
      return rows.map((r) => ({ utm: parseJson<Utm>(r.utm), links: Number(r.n) }));
    },
  };
}
