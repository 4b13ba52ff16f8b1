import type { AlertRepo, RuleRepo } from '../../../domain/rules/ports.ts';
import type { RepoContext } from './repo-context.ts';
import { decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { alertFromRow, alertToRow, ruleFromRow, ruleToRow } from './rule-rows.ts';
import { toIso, toMs } from './row-mapping.ts';
import { stormFromRow, stormToRow } from './rule-storm-rows.ts';

export function createRuleRepo(ctx: RepoContext): RuleRepo {
  const { db, dialect } = ctx;
  const yes = dialect.bool(true);
  return {
    async insert(rule) {
      await db.insertInto('rules').values({ ...ruleToRow(rule, dialect), next_eval_at: toMs(rule.createdAt) }).execute();
    },

    async update(rule) {
      const { id: _id, workspace_id: _ws, created_at: _created, ...row } = ruleToRow(rule, dialect);
      await db.updateTable('rules').set(row).where('id', '=', rule.id).where('workspace_id', '=', rule.workspaceId).execute();
    },

    async delete(workspaceId, id) {
      const res = await db.deleteFrom('rules').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('rules').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && ruleFromRow(row);
    },

    async list(workspaceId, page) {
      let q = db.selectFrom('rules').selectAll().where('workspace_id', '=', workspaceId);
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, ruleFromRow);
    },

    async claimDue({ now, leaseUntil, types, limit }) {
      if (types.length === 0) return [];
      // One statement, like the delivery claim (delivery-queue.ts): the lease
      // IS the next due time, so a crashed evaluator's rule comes back by itself.
      let due = db
        .selectFrom('rules')
        .select('id')
        .where('enabled', '=', yes)
        .where('trigger_type', 'in', [...types])
        .where('next_eval_at', '<=', toMs(now))
        .orderBy('next_eval_at')
        .limit(limit);
      if (dialect.name === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await db.updateTable('rules').set({ next_eval_at: toMs(leaseUntil) }).where('id', 'in', due).returningAll().execute();
      return rows.map(ruleFromRow).sort((a, b) => a.id.localeCompare(b.id));
    },

    async scheduleNext(id, at) {
      await db.updateTable('rules').set({ next_eval_at: toMs(at) }).where('id', '=', id).execute();
    },

    async markEvaluated(id, at) {
      await db.updateTable('rules').set({ evaluated_until: toMs(at) }).where('id', '=', id).execute();
    },
  };
}

export function createAlertRepo(ctx: RepoContext): AlertRepo {
  const { db, dialect } = ctx;
  const no = dialect.bool(false);
  return {
    async insert(alert) {
      await db.insertInto('alerts').values(alertToRow(alert, dialect)).execute();
    },

    async update(alert) {
      const { id: _id, workspace_id: _ws, rule_id: _rule, fingerprint: _fp, ...row } = alertToRow(alert, dialect);
      await db.updateTable('alerts').set(row).where('id', '=', alert.id).where('workspace_id', '=', alert.workspaceId).execute();
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && alertFromRow(row);
    },

    async list(workspaceId, filter, page) {
      let q = db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter.ruleId !== undefined) q = q.where('rule_id', '=', filter.ruleId);
      if (filter.linkId !== undefined) q = q.where('link_id', '=', filter.linkId);
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, alertFromRow);
    },

    async listOpen(ruleId) {
      const rows = await db.selectFrom('alerts').selectAll().where('rule_id', '=', ruleId).where('status', '=', 'triggered').where('is_drill', '=', no).orderBy('id').execute();
      return rows.map(alertFromRow);
    },

    async lastNotified(fingerprints) {
      const out = new Map<string, string>();
      // 500 per statement: far under both engines' parameter limits.
      for (let i = 0; i < fingerprints.length; i += 500) {
        const rows = await db
          .selectFrom('alerts')
          .select((eb) => ['fingerprint', eb.fn.max('last_notified_at').as('at')])
          .where('fingerprint', 'in', fingerprints.slice(i, i + 500))
          .where('last_notified_at', 'is not', null)
          .groupBy('fingerprint')
          .execute();
        for (const r of rows) if (r.at !== null) out.set(r.fingerprint, toIso(r.at));
      }
      return out;
    },

    async getMany(workspaceId, ids) {
      const out = [];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids.slice(i, i + 500)).execute();
        out.push(...rows.map(alertFromRow));
      }
      return out;
    },

    async getStorm(ruleId, kind) {
      const row = await db.selectFrom('alert_storms').selectAll().where('rule_id', '=', ruleId).where('kind', '=', kind).executeTakeFirst();
      return row && stormFromRow(row);
    },

    async saveStorm(storm) {
      const row = stormToRow(storm);
      const { rule_id: _r, kind: _k, workspace_id: _w, ...changes } = row;
      await db.insertInto('alert_storms').values(row).onConflict((oc) => oc.columns(['rule_id', 'kind']).doUpdateSet(changes)).execute();
    },
  };
}
