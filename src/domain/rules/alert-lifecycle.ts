import type { DeliverySignal } from '../delivery/delivery-signal.ts';
import { emitEventTo } from '../events/emit-event-to.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import type { Link } from '../links/link.ts';
import type { Repos, Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { groupMessage, singleMessages, triggerFigures } from './alert-messages.ts';
import type { Observation } from './evaluator.ts';
import type { Alert, Rule } from './rule.ts';
import { planStormMessages, stormWindowMs } from './storm-control.ts';
import type { StormPlan } from './storm-control.ts';

// Observations of one evaluation -> alert rows and their messages. Evaluators
// only say "firing or not" per subject; everything about noise lives here:
//
// - fingerprint = rule id + ':' + subject: one open alert per condition.
// - Hysteresis: an open alert resolves only after its condition was clear in
//   RESOLVE_AFTER_CLEAR_EVALUATIONS consecutive evaluations (a subject the
//   evaluator no longer reports counts as clear). One clear reading between
//   two firing ones is the classic flap; two in a row at the default 60 s
//   interval delay a resolution by one minute, which nobody minds.
// - Cooldown: at most one message per fingerprint per rule.cooldownMs. A
//   re-trigger inside the cooldown of the last message (even of an earlier,
//   resolved alert) opens its row silently, and its resolution is silent too.
//   While an alert keeps firing, a reminder goes out once per cooldown.
//   An observation marked `eachWindow` (the `event` trigger: new clicks in a
//   window of their own) is messaged at every evaluation it fires: its
//   window, not the cooldown, is its rate.
// - Snooze: a snoozed alert sends nothing (no reminder, no resolution).
// - Storm control, per rule per window across evaluations: storm-control.ts.
//
// Every row and every event of one evaluation is written in ONE transaction
// (the outbox), delivered only to the rule's endpoints (emitEventTo).

export const RESOLVE_AFTER_CLEAR_EVALUATIONS = 2;

export interface LifecycleDeps {
  storage: Storage;
  clock: Clock;
  /** For `data.link.short_url`. */
  baseUrl: string;
  customDomainScheme?: 'http' | 'https';
  /** Wakes this process's delivery worker after commit. */
  signal?: DeliverySignal;
}

export interface LifecycleResult {
  triggered: Alert[];
  resolved: Alert[];
  /** Alerts that kept firing (figures refreshed). */
  updated: Alert[];
  /** Events written (a grouped message counts one). */
  messages: EventEnvelope[];
  /** Alerts held by storm control for their window's grouped message (not messaged yet). */
  held: Alert[];
}

const snoozed = (a: Alert, nowMs: number): boolean => a.snoozedUntil !== null && Date.parse(a.snoozedUntil) > nowMs;

export function fingerprintOf(ruleId: string, subject: string): string {
  return `${ruleId}:${subject}`;
}

function openAlert(rule: Rule, o: Observation, at: string): Alert {
  const f = triggerFigures(rule.trigger);
  return {
    id: newId('alert', Date.parse(at)),
    workspaceId: rule.workspaceId,
    ruleId: rule.id,
    fingerprint: fingerprintOf(rule.id, o.subject),
    subject: o.subject,
    linkId: o.linkId,
    status: 'triggered',
    severity: rule.severity,
    summary: o.summary,
    metric: f.metric,
    value: o.value,
    threshold: o.threshold,
    window: f.window,
    details: o.details ?? {},
    isDrill: false,
    triggeredAt: at,
    updatedAt: at,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    snoozedUntil: null,
    escalatedAt: null,
    lastNotifiedAt: null,
    clearStreak: 0,
  };
}

function refresh(a: Alert, o: Observation, at: string): Alert {
  return { ...a, summary: o.summary, value: o.value, threshold: o.threshold, details: o.details ?? a.details, updatedAt: at };
}

/** Links for `data.link`: the evaluation's scoped links, else read by id. */
async function linksFor(tx: Repos, workspaceId: string, alerts: readonly Alert[], known: readonly Link[]): Promise<Map<string, Link>> {
  const out = new Map(known.map((l) => [l.id, l]));
  for (const a of alerts) {
    if (a.linkId === null || out.has(a.linkId)) continue;
    const link = await tx.links.getById(workspaceId, a.linkId);
    if (link) out.set(link.id, link);
  }
  return out;
}

/**
 * Feeds one evaluation's observations to the rule's alerts: opens, refreshes
 * and resolves rows, and sends what the cooldown, snooze and storm rules let through.
 */
export async function applyObservations(
  deps: LifecycleDeps,
  rule: Rule,
  observations: readonly Observation[],
  links: readonly Link[] = [],
  /** The time the evaluator looked at (recorded as Rule.evaluatedUntil in this transaction); default now. */
  evaluatedAt?: Date,
): Promise<LifecycleResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const nowMs = now.getTime();
  const result = await deps.storage.transaction(async (tx) => {
    const open = new Map((await tx.alerts.listOpen(rule.id)).map((a) => [a.subject, a]));
    const bySubject = new Map(observations.map((o) => [o.subject, o]));
    const firingNew = observations.filter((o) => o.firing && !open.has(o.subject));
    const lastSent = await tx.alerts.lastNotified(firingNew.map((o) => fingerprintOf(rule.id, o.subject)).concat([...open.values()].map((a) => a.fingerprint)));
    const cooledDown = (fp: string): boolean => {
      const last = lastSent.get(fp);
      return last === undefined || nowMs - Date.parse(last) >= rule.cooldownMs;
    };

    const created: Alert[] = [];
    const changed: Alert[] = [];
    const toTrigger: Alert[] = [];
    const toResolve: Alert[] = [];
    const resolved: Alert[] = [];
    const updated: Alert[] = [];

    for (const o of firingNew) {
      const a = openAlert(rule, o, at);
      created.push(a);
      if (o.eachWindow === true || cooledDown(a.fingerprint)) toTrigger.push(a);
    }
    for (const prev of open.values()) {
      const o = bySubject.get(prev.subject);
      if (o?.firing) {
        const a = { ...refresh(prev, o, at), clearStreak: 0 };
        changed.push(a);
        updated.push(a);
        if (!snoozed(a, nowMs) && (o.eachWindow === true || cooledDown(a.fingerprint))) toTrigger.push(a);
        continue;
      }
      const base = o ? refresh(prev, o, at) : { ...prev, updatedAt: at };
      const streak = prev.clearStreak + 1;
      if (streak < RESOLVE_AFTER_CLEAR_EVALUATIONS) {
        changed.push({ ...base, clearStreak: streak });
        continue;
      }
      const a: Alert = { ...base, clearStreak: streak, status: 'resolved', resolvedAt: at };
      changed.push(a);
      resolved.push(a);
      // A trigger nobody was told about resolves silently too.
      if (a.lastNotifiedAt !== null && !snoozed(a, nowMs)) toResolve.push(a);
    }

    // A per-window observation (`event`) is one coalesced message for the whole scope already: no storm to control.
    const eachWindow = new Set(observations.filter((o) => o.eachWindow === true).map((o) => o.subject));
    const coalesced = toTrigger.filter((a) => eachWindow.has(a.subject));
    const plans: StormPlan[] = [
      { single: coalesced, group: null, held: [], released: [] },
      await planStormMessages(tx, rule, 'triggered', toTrigger.filter((a) => !eachWindow.has(a.subject)), now),
      await planStormMessages(tx, rule, 'resolved', toResolve, now),
    ];
    const messaged = plans.flatMap((p) => [...p.single, ...(p.group?.alerts ?? [])]);
    const linkMap = await linksFor(tx, rule.workspaceId, messaged, links);
    const ctx = { rule, now, baseUrl: deps.baseUrl, customDomainScheme: deps.customDomainScheme ?? 'https', links: linkMap } as const;
    const messages = plans.flatMap((p) => [
      ...singleMessages(ctx, p.single),
      ...(p.group ? [groupMessage(ctx, p.group.alerts, {}, { windowTotal: p.group.windowTotal, released: p.group.released, windowMs: stormWindowMs(rule) })] : []),
    ]);
    for (const a of messaged) a.lastNotifiedAt = at;

    const written = new Set([...created, ...changed].map((a) => a.id));
    for (const a of created) await tx.alerts.insert(a);
    for (const a of changed) await tx.alerts.update(a);
    // Held in an earlier window, messaged now: their rows are not among this evaluation's.
    for (const a of plans.flatMap((p) => p.released)) if (!written.has(a.id)) await tx.alerts.update({ ...a, lastNotifiedAt: at });
    await emitEventTo(tx, messages, rule.endpointIds);
    await tx.rules.markEvaluated(rule.id, (evaluatedAt ?? now).toISOString());
    return { triggered: created, resolved, updated, messages, held: plans.flatMap((p) => p.held) };
  });
  if (result.messages.length > 0) deps.signal?.notify();
  return result;
}
