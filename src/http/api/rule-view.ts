import { formatDuration } from '../../domain/rules/duration.ts';
import type { Alert, Rule } from '../../domain/rules/rule.ts';

// Rules and alerts as the API shows them (snake_case, durations as text).

export function ruleJson(r: Rule): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    trigger: r.trigger,
    endpoint_ids: r.endpointIds,
    escalation_endpoint_ids: r.escalationEndpointIds,
    owner: r.owner,
    action: r.action,
    severity: r.severity,
    class: r.class,
    cooldown: formatDuration(r.cooldownMs),
    response_time: r.responseTimeMs === null ? null : formatDuration(r.responseTimeMs),
    include_bots: r.includeBots,
    enabled: r.enabled,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function alertJson(a: Alert): Record<string, unknown> {
  return {
    id: a.id,
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
    window: a.window,
    details: a.details,
    is_drill: a.isDrill,
    triggered_at: a.triggeredAt,
    updated_at: a.updatedAt,
    resolved_at: a.resolvedAt,
    acknowledged_at: a.acknowledgedAt,
    acknowledged_by: a.acknowledgedBy,
    snoozed_until: a.snoozedUntil,
    escalated_at: a.escalatedAt,
    last_notified_at: a.lastNotifiedAt,
  };
}
