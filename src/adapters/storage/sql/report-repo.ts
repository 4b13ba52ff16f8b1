import { sql } from 'kysely';
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { ReportSchedule, ReportScheduleRepo, ReportScope, ReportStatsQuery, ReportStatsRepo } from '../../../domain/reports/report-schedule.ts';
import type { SqlBool } from './database.ts';
import type { RepoContext } from './repo-context.ts';
import { parseJson, toIso, toIsoOrNull, toMs, toMsOrNull } from './row-mapping.ts';

// Report schedules (migration 0007_reports) and the few read-side figures a
// summary needs that the click-count port does not give (unique visitors,
// bot and test counts, top countries and referrers). Conventions as in
// database.ts; the claim is one statement, like rule-repo.ts.

type Json = ColumnType<unknown, string, string>;

export interface ReportSchedulesTable {
  id: string;
  workspace_id: string;
  name: string;
  cron: string;
  timezone: string;
  scope: Json;
  endpoint_ids: Json;
  owner: string | null;
  enabled: SqlBool;
  next_run_at: number;
  last_run_at: number | null;
  created_at: number;
  updated_at: number;
}

function fromRow(r: Selectable<ReportSchedulesTable>): ReportSchedule {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    scope: parseJson<ReportScope>(r.scope),
    endpointIds: parseJson<string[]>(r.endpoint_ids),
    owner: r.owner,
    enabled: Boolean(r.enabled),
    nextRunAt: toIso(r.next_run_at),
    lastRunAt: toIsoOrNull(r.last_run_at),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function createReportScheduleRepo(ctx: RepoContext): ReportScheduleRepo {
  const { db, dialect } = ctx;
  const toRow = (s: ReportSchedule): Insertable<ReportSchedulesTable> => ({
    id: s.id,
    workspace_id: s.workspaceId,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    scope: JSON.stringify(s.scope),
    endpoint_ids: JSON.stringify(s.endpointIds),
    owner: s.owner,
    enabled: dialect.bool(s.enabled),
    next_run_at: toMs(s.nextRunAt),
    last_run_at: toMsOrNull(s.lastRunAt),
    created_at: toMs(s.createdAt),
    updated_at: toMs(s.updatedAt),
  });
  return {
    async insert(schedule) {
      await db.insertInto('report_schedules').values(toRow(schedule)).execute();
    },

    async update(schedule) {
      const { id: _id, workspace_id: _ws, created_at: _c, ...row } = toRow(schedule);
      await db.updateTable('report_schedules').set(row).where('id', '=', schedule.id).where('workspace_id', '=', schedule.workspaceId).execute();
    },

    async delete(workspaceId, id) {
      const res = await db.deleteFrom('report_schedules').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('report_schedules').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && fromRow(row);
    },

    async list(workspaceId) {
      const rows = await db.selectFrom('report_schedules').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
      return rows.map(fromRow);
    },

    async claimDue({ now, leaseUntil, limit }) {
      // The lease IS the next due time: a scheduler that dies mid-run leaves
      // the schedule due again at leaseUntil, and nobody else takes it before.
      let due = db
        .selectFrom('report_schedules')
        .select('id')
        .where('enabled', '=', dialect.bool(true))
        .where('next_run_at', '<=', toMs(now))
        .orderBy('next_run_at')
        .limit(limit);
      if (dialect.name === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await db.updateTable('report_schedules').set({ next_run_at: toMs(leaseUntil) }).where('id', 'in', due).returningAll().execute();
      return rows.map(fromRow).sort((a, b) => a.id.localeCompare(b.id));
    },

    async completeRun(id, leaseUntil, nextRunAt, lastRunAt) {
      const res = await db
        .updateTable('report_schedules')
        .set({ next_run_at: toMs(nextRunAt), last_run_at: toMs(lastRunAt) })
        .where('id', '=', id)
        .where('next_run_at', '=', toMs(leaseUntil))
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
  };
}

/** Link ids per statement: PostgreSQL and SQLite both cap bound parameters. */
const CHUNK = 500;

export function createReportStatsRepo(ctx: RepoContext): ReportStatsRepo {
  const { db, dialect } = ctx;
  const no = dialect.bool(false);
  const range = (q: ReportStatsQuery, ids: string[]) =>
    db.selectFrom('clicks').where('workspace_id', '=', q.workspaceId).where('link_id', 'in', ids).where('ts', '>=', q.from.getTime()).where('ts', '<', q.to.getTime());
  const chunks = (ids: readonly string[]): string[][] => {
    const out: string[][] = [];
    for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
    return out;
  };
  return {
    async totals(q) {
      const t = { clicks: 0, scans: 0, uniqueVisitors: 0, bots: 0, test: 0 };
      if (q.linkIds.length === 0) return t;
      const visitors = new Set<string>();
      for (const ids of chunks(q.linkIds)) {
        const rows = await range(q, ids)
          .select(['is_bot', 'is_test', 'is_qr', sql<number | string>`count(*)`.as('n')])
          .groupBy(['is_bot', 'is_test', 'is_qr'])
          .execute();
        for (const r of rows) {
          const n = Number(r.n);
          if (Boolean(r.is_test)) t.test += n;
          else if (Boolean(r.is_bot)) t.bots += n;
          else {
            t.clicks += n;
            if (Boolean(r.is_qr)) t.scans += n;
          }
        }
        // Distinct across chunks needs the hashes, not per-chunk counts; a
        // report's scope is hundreds of links, so this stays small.
        const hashes = await range(q, ids).where('is_bot', '=', no).where('is_test', '=', no).select('visitor_hash').distinct().execute();
        for (const h of hashes) visitors.add(h.visitor_hash);
      }
      t.uniqueVisitors = visitors.size;
      return t;
    },

    async top(q, by, limit) {
      const merged = new Map<string | null, number>();
      for (const ids of chunks(q.linkIds)) {
        const rows = await range(q, ids)
          .where('is_bot', '=', no)
          .where('is_test', '=', no)
          .select([by, sql<number | string>`count(*)`.as('n')])
          .groupBy(by)
          .execute();
        for (const r of rows) merged.set(r[by], (merged.get(r[by]) ?? 0) + Number(r.n));
      }
      return [...merged]
        .map(([value, clicks]) => ({ value, clicks }))
        .sort((a, b) => b.clicks - a.clicks || String(a.value).localeCompare(String(b.value)))
        .slice(0, limit);
    },
  };
}
