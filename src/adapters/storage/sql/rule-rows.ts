import type { Insertable, Selectable } from 'kysely';
import type { Alert, AlertStatus, Rule, Severity } from '../../../domain/rules/rule.ts';
import type { AlertsTable, RulesTable } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { parseJson, toIso, toIsoOrNull, toMs, toMsOrNull } from './row-mapping.ts';

// Rules and alerts <-> rows (conventions in database.ts).

/** The user-editable columns of a rule; the schedule (next_eval_at) is the evaluator's. */
export function ruleToRow(r: Rule, d: Pick<SqlDialect, 'bool'>): Omit<Insertable<RulesTable>, 'next_eval_at'> {
  return {
    id: r.id,
    workspace_id: r.workspaceId,
    name: r.name,
    scope: JSON.stringify(r.scope),
    trigger_spec: JSON.stringify(r.trigger),
    trigger_type: r.trigger.type,
    endpoint_ids: JSON.stringify(r.endpointIds),
    escalation_endpoint_ids: JSON.stringify(r.escalationEndpointIds),
    owner_name: r.owner.name,
    owner_contact: r.owner.contact,
    action: r.action,
    severity: r.severity,
    class: r.class,
    cooldown_ms: r.cooldownMs,
    response_time_ms: r.responseTimeMs,
    include_bots: d.bool(r.includeBots),
    enabled: d.bool(r.enabled),
    created_at: toMs(r.createdAt),
    updated_at: toMs(r.updatedAt),
  };
}

export function ruleFromRow(r: Selectable<RulesTable>): Rule {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    scope: parseJson(r.scope),
    trigger: parseJson(r.trigger_spec),
    endpointIds: parseJson(r.endpoint_ids),
    escalationEndpointIds: parseJson(r.escalation_endpoint_ids),
    owner: { name: r.owner_name, contact: r.owner_contact },
    action: r.action,
    severity: r.severity as Severity,
    class: r.class as Rule['class'],
    cooldownMs: Number(r.cooldown_ms),
    responseTimeMs: r.response_time_ms === null ? null : Number(r.response_time_ms),
    includeBots: Boolean(r.include_bots),
    enabled: Boolean(r.enabled),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    // Only once evaluated: a rule as the API wrote it has no such field.
    ...(r.evaluated_until === null || r.evaluated_until === undefined ? {} : { evaluatedUntil: toIso(r.evaluated_until) }),
  };
}

export function alertToRow(a: Alert, d: Pick<SqlDialect, 'bool'>): Insertable<AlertsTable> {
  return {
    id: a.id,
    workspace_id: a.workspaceId,
    rule_id: a.ruleId,
    fingerprint: a.fingerprint,
    subject: a.subject,
    link_id: a.linkId,
    status: a.status,
    severity: a.severity,
    summary: a.summary,
    metric: a.metric,
    value: a.value,
    threshold: a.threshold,
    window_spec: a.window,
    details: JSON.stringify(a.details),
    is_drill: d.bool(a.isDrill),
    triggered_at: toMs(a.triggeredAt),
    updated_at: toMs(a.updatedAt),
    resolved_at: toMsOrNull(a.resolvedAt),
    acknowledged_at: toMsOrNull(a.acknowledgedAt),
    acknowledged_by: a.acknowledgedBy,
    snoozed_until: toMsOrNull(a.snoozedUntil),
    escalated_at: toMsOrNull(a.escalatedAt),
    last_notified_at: toMsOrNull(a.lastNotifiedAt),
    clear_streak: a.clearStreak,
  };
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function alertFromRow(r: Selectable<AlertsTable>): Alert {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    ruleId: r.rule_id,
    fingerprint: r.fingerprint,
    subject: r.subject,
    linkId: r.link_id,
    status: r.status as AlertStatus,
    severity: r.severity as Severity,
    summary: r.summary,
    metric: r.metric,
    value: num(r.value),
    threshold: num(r.threshold),
    window: r.window_spec,
    details: parseJson(r.details),
    isDrill: Boolean(r.is_drill),
    triggeredAt: toIso(r.triggered_at),
    updatedAt: toIso(r.updated_at),
    resolvedAt: toIsoOrNull(r.resolved_at),
    acknowledgedAt: toIsoOrNull(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    snoozedUntil: toIsoOrNull(r.snoozed_until),
    escalatedAt: toIsoOrNull(r.escalated_at),
    lastNotifiedAt: toIsoOrNull(r.last_notified_at),
    clearStreak: Number(r.clear_streak),
  };
}
