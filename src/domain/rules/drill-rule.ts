import type { Destination } from '../delivery/destination.ts';
import type { EndpointKind } from '../delivery/endpoint.ts';
import { withActiveSecrets } from '../delivery/secrets.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import { newEvent } from '../events/new-event.ts';
import { newId } from '../shared/ids.ts';
import { fingerprintOf } from './alert-lifecycle.ts';
import { alertPayload, triggerFigures } from './alert-messages.ts';
import type { RuleDeps } from './manage-rules.ts';
import { getRule } from './manage-rules.ts';
import type { Alert } from './rule.ts';

// Fire drill: a synthetic alert.triggered (`is_drill: true`, "[DRILL]" in the
// summary) pushed NOW through each of the rule's real endpoints — its
// endpoints and its escalation endpoints — exactly as a real delivery would
// be (same adapter, signed with the endpoint's secrets), and each receiver's
// answer reported back. Like an endpoint's test send, no delivery row is
// written, so a drill never sits in a retry queue; the drill's alert row is
// kept (is_drill, already resolved) so the alert history shows it happened.

export interface DrillDeps extends RuleDeps {
  destinations: ReadonlyMap<EndpointKind, Destination>;
}

export interface DrillEndpointResult {
  endpoint_id: string;
  kind: string | null;
  role: 'notify' | 'escalation';
  ok: boolean;
  status: number | null;
  error_class: string | null;
  error: string | null;
  duration_ms: number;
}

export interface DrillResult {
  ok: boolean;
  alert_id: string;
  event: EventEnvelope;
  endpoints: DrillEndpointResult[];
}

export async function drillRule(deps: DrillDeps, workspaceId: string, ruleId: string): Promise<DrillResult> {
  const rule = await getRule(deps, workspaceId, ruleId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const f = triggerFigures(rule.trigger);
  const alert: Alert = {
    id: newId('alert', now.getTime()),
    workspaceId,
    ruleId: rule.id,
    fingerprint: fingerprintOf(rule.id, 'drill'),
    subject: 'drill',
    linkId: null,
    status: 'triggered',
    severity: rule.severity,
    summary: `[DRILL] Fire drill of "${rule.name}": nothing is wrong, this checks the alert reaches you`,
    metric: f.metric,
    value: null,
    threshold: null,
    window: f.window,
    details: {},
    isDrill: true,
    triggeredAt: at,
    updatedAt: at,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    snoozedUntil: null,
    escalatedAt: null,
    lastNotifiedAt: at,
    clearStreak: 0,
  };
  const event = newEvent('alert.triggered', workspaceId, { alert: alertPayload(rule, alert, { isDrill: true }) }, now);
  const targets = [
    ...rule.endpointIds.map((id) => ({ id, role: 'notify' as const })),
    ...rule.escalationEndpointIds.map((id) => ({ id, role: 'escalation' as const })),
  ];
  const results = await Promise.all(
    targets.map(async ({ id, role }): Promise<DrillEndpointResult> => {
      const endpoint = await deps.storage.endpoints.getById(workspaceId, id);
      const fail = (error: string, kind: string | null = null): DrillEndpointResult => ({ endpoint_id: id, kind, role, ok: false, status: null, error_class: 'config', error, duration_ms: 0 });
      if (!endpoint) return fail('the endpoint no longer exists');
      const destination = deps.destinations.get(endpoint.kind);
      if (!destination) return fail(`no destination adapter for kind ${endpoint.kind} in this process`, endpoint.kind);
      const r = await destination.send({ event, endpoint: withActiveSecrets(endpoint, now), webhookId: event.id, attempt: 1, state: deps.storage.destinationState });
      return { endpoint_id: id, kind: endpoint.kind, role, ok: r.ok, status: r.response?.status ?? null, error_class: r.errorClass, error: r.error, duration_ms: r.durationMs };
    }),
  );
  const done = deps.clock.now().toISOString();
  await deps.storage.alerts.insert({ ...alert, status: 'resolved', resolvedAt: done, updatedAt: done, details: { drill: results.map((r) => ({ endpoint_id: r.endpoint_id, ok: r.ok })) } });
  return { ok: results.length > 0 && results.every((r) => r.ok), alert_id: alert.id, event, endpoints: results };
}
