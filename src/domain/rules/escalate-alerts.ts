import { emitEventTo } from '../events/emit-event-to.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import type { Link } from '../links/link.ts';
import type { LifecycleDeps } from './alert-lifecycle.ts';
import { alertMessages } from './alert-messages.ts';
import type { Alert, Rule } from './rule.ts';

// Response time: an alert still triggered and unacknowledged `responseTimeMs`
// after it was triggered goes ONCE to the rule's escalation endpoints, as an
// alert.triggered with `escalated: true` (same id and fingerprint, so a
// PagerDuty escalation endpoint dedups it with nothing else). escalatedAt is
// set in the same transaction, so it is never sent twice. Snoozed alerts wait:
// snoozing is a human saying "I know". Acknowledging stops it for good. An
// alert held by storm control waits until its grouped message went out.
// Many at once are grouped like any storm (alert-messages.ts).
//
// It runs after each evaluation of the rule, so it is as punctual as the
// evaluation interval (LINKHOOK_RULES_EVAL_MS, 60 s by default).

export function isDueForEscalation(rule: Rule, a: Alert, nowMs: number): boolean {
  if (rule.responseTimeMs === null || rule.escalationEndpointIds.length === 0) return false;
  if (a.status !== 'triggered' || a.isDrill || a.acknowledgedAt !== null || a.escalatedAt !== null) return false;
  if (a.snoozedUntil !== null && Date.parse(a.snoozedUntil) > nowMs) return false;
  return nowMs - Date.parse(a.triggeredAt) >= rule.responseTimeMs;
}

/** Escalates the rule's overdue alerts; returns them (marked escalated). */
export async function escalateAlerts(deps: LifecycleDeps, rule: Rule, links: readonly Link[] = []): Promise<Alert[]> {
  if (rule.responseTimeMs === null || rule.escalationEndpointIds.length === 0) return [];
  const now = deps.clock.now();
  const at = now.toISOString();
  const { escalated, messages } = await deps.storage.transaction(async (tx) => {
    let due = (await tx.alerts.listOpen(rule.id)).filter((a) => isDueForEscalation(rule, a, now.getTime()));
    if (due.length > 0) {
      // An alert storm control still holds (storm-control.ts) has not reached the rule's endpoints yet:
      // nobody could have acknowledged it, so it waits for its grouped message before it escalates.
      const held = new Set((await tx.alerts.getStorm(rule.id, 'triggered'))?.pending ?? []);
      due = due.filter((a) => !held.has(a.id));
    }
    if (due.length === 0) return { escalated: [] as Alert[], messages: [] as EventEnvelope[] };
    const linkMap = new Map(links.map((l) => [l.id, l]));
    for (const a of due) {
      if (a.linkId !== null && !linkMap.has(a.linkId)) {
        const link = await tx.links.getById(rule.workspaceId, a.linkId);
        if (link) linkMap.set(link.id, link);
      }
    }
    const marked = due.map((a) => ({ ...a, escalatedAt: at, updatedAt: at }));
    const ctx = { rule, now, baseUrl: deps.baseUrl, customDomainScheme: deps.customDomainScheme ?? 'https', links: linkMap } as const;
    const events = alertMessages(ctx, marked, { escalated: true });
    for (const a of marked) await tx.alerts.update(a);
    await emitEventTo(tx, events, rule.escalationEndpointIds);
    return { escalated: marked, messages: events };
  });
  if (messages.length > 0) deps.signal?.notify();
  return escalated;
}
