import type { AlertGroupPayload, AlertPayload, EventEnvelope } from '../events/envelope.ts';
import { linkPayload } from '../events/event-payloads.ts';
import { newEvent } from '../events/new-event.ts';
import type { Link } from '../links/link.ts';
import { newId } from '../shared/ids.ts';
import { formatDuration } from './duration.ts';
import { linkLabel } from './evaluators/evaluator-support.ts';
import type { Alert, Rule, Trigger } from './rule.ts';

// Alert rows -> alert.triggered / alert.resolved envelopes, one per alert or,
// past the storm threshold, ONE per batch naming the count and the worst cases.
// Which alerts go in which batch, across evaluations, is storm-control.ts.

/**
 * More than 10 alerts of one rule in one storm window (storm-control.ts)
 * become one grouped message. 10 is about what one person reads in a
 * channel before it stops being information: a site migration that breaks
 * 500 links is one incident, not 500 pages.
 */
export const STORM_GROUP_ABOVE = 10;
/** Worst cases named in a grouped message. */
export const STORM_WORST_CASES = 5;
/** Ids listed in a grouped message; the count is always exact. */
const GROUP_IDS_LISTED = 100;

/** The metric and window an alert of this trigger reports (null for monitors that have none). */
export function triggerFigures(trigger: Trigger): { metric: string | null; window: string | null } {
  if (trigger.type === 'event' || trigger.type === 'threshold' || trigger.type === 'change') return { metric: trigger.metric, window: trigger.window };
  return { metric: null, window: null };
}

export interface MessageContext {
  rule: Rule;
  now: Date;
  baseUrl: string;
  customDomainScheme: 'http' | 'https';
  /** Links by id, for `data.link`. */
  links: ReadonlyMap<string, Link>;
}

export interface MessageFlags {
  escalated?: boolean;
  isDrill?: boolean;
}

export function alertPayload(rule: Rule, a: Alert, flags: MessageFlags = {}): AlertPayload {
  const p: AlertPayload = {
    id: a.id,
    fingerprint: a.fingerprint,
    rule_id: rule.id,
    rule_name: rule.name,
    status: a.status,
    severity: a.severity,
    summary: a.summary,
    metric: a.metric,
    value: a.value,
    threshold: a.threshold,
    window: a.window,
    owner: { name: rule.owner.name, contact: rule.owner.contact },
    action: rule.action,
    triggered_at: a.triggeredAt,
    resolved_at: a.resolvedAt,
  };
  if (Object.keys(a.details).length > 0) p.details = a.details;
  if (flags.escalated) {
    p.escalated = true;
    if (rule.responseTimeMs !== null) p.response_time = formatDuration(rule.responseTimeMs);
  }
  if (flags.isDrill || a.isDrill) p.is_drill = true;
  return p;
}

/** How far past its threshold an alert is, relative to the threshold: the "worst" order of a group. */
function badness(a: Alert): number {
  if (a.value === null) return 0;
  if (a.threshold === null) return Math.abs(a.value);
  return Math.abs(a.value - a.threshold) / Math.max(Math.abs(a.threshold), 1);
}

function oneEvent(ctx: MessageContext, a: Alert, flags: MessageFlags): EventEnvelope {
  const link = a.linkId === null ? undefined : ctx.links.get(a.linkId);
  const alert = alertPayload(ctx.rule, a, flags);
  const ws = ctx.rule.workspaceId;
  const data = link ? { alert, link: linkPayload(link, ctx.now, ctx.baseUrl, ctx.customDomainScheme) } : { alert };
  return a.status === 'triggered' ? newEvent('alert.triggered', ws, data, ctx.now) : newEvent('alert.resolved', ws, data, ctx.now);
}

/** What a grouped message says about when its alerts tripped (storm-control.ts). */
export interface GroupInfo {
  /** Alerts messaged in the storm window so far, this group included. */
  windowTotal: number;
  /** How many of the group were held from the previous window (0: all changed in this evaluation). */
  released: number;
  /** The storm window's length. */
  windowMs: number;
}

function groupNoun(alerts: readonly Alert[]): string {
  const noun = alerts.every((a) => a.linkId !== null) ? 'link' : 'subject';
  return alerts.length === 1 ? noun : `${noun}s`;
}

/** "12 links tripped "Broken redirects" at once; worst: /a, /b (Spring), ..." */
function groupSummary(ctx: MessageContext, alerts: readonly Alert[], worst: readonly Alert[], status: Alert['status'], flags: MessageFlags, info: GroupInfo | undefined): string {
  const { rule } = ctx;
  const n = alerts.length;
  const more = info !== undefined && info.windowTotal > n && info.released === 0 ? 'more ' : '';
  const head = `${n} ${more}${groupNoun(alerts)}`;
  let what: string;
  if (flags.escalated) {
    const within = rule.responseTimeMs === null ? '' : ` within ${formatDuration(rule.responseTimeMs)}`;
    what = `${head} tripped "${rule.name}" and nobody acknowledged${within}`;
  } else {
    const verb = status === 'triggered' ? 'tripped' : 'recovered from';
    const when = info !== undefined && info.released > 0 ? `in the last ${formatDuration(info.windowMs)}` : 'at once';
    const total = info !== undefined && info.windowTotal > n ? ` (${info.windowTotal} in ${formatDuration(info.windowMs)})` : '';
    what = `${head} ${verb} "${rule.name}" ${when}${total}`;
  }
  const names = worst.map((a) => {
    const link = a.linkId === null ? undefined : ctx.links.get(a.linkId);
    return link ? linkLabel(link) : a.subject;
  });
  return `${what}; worst: ${names.join(', ')}`;
}

/** ONE message standing for `alerts` (all of one status): the count, the first ids, the worst cases. */
export function groupMessage(ctx: MessageContext, alerts: readonly Alert[], flags: MessageFlags = {}, info?: GroupInfo): EventEnvelope {
  const { rule, now } = ctx;
  const status = (alerts[0] as Alert).status;
  const worst = [...alerts].sort((x, y) => badness(y) - badness(x) || (x.id < y.id ? -1 : 1)).slice(0, STORM_WORST_CASES);
  const top = worst[0] as Alert;
  const group: AlertGroupPayload = {
    count: alerts.length,
    alert_ids: alerts.slice(0, GROUP_IDS_LISTED).map((a) => a.id),
    worst: worst.map((a) => ({ alert_id: a.id, subject: a.subject, link_id: a.linkId, summary: a.summary, value: a.value })),
  };
  const alert: AlertPayload = {
    ...alertPayload(rule, top, flags),
    // Not an alert row: the grouped message's own id. Each grouped alert keeps its row (group.alert_ids).
    id: newId('alert', now.getTime()),
    fingerprint: `${rule.id}:group`,
    summary: groupSummary(ctx, alerts, worst, status, flags, info),
    triggered_at: alerts.reduce((min, a) => (a.triggeredAt < min ? a.triggeredAt : min), top.triggeredAt),
    resolved_at: status === 'resolved' ? now.toISOString() : null,
    group,
  };
  delete alert.details;
  const data = { alert };
  return status === 'triggered' ? newEvent('alert.triggered', rule.workspaceId, data, now) : newEvent('alert.resolved', rule.workspaceId, data, now);
}

/** One message per alert. */
export function singleMessages(ctx: MessageContext, alerts: readonly Alert[], flags: MessageFlags = {}): EventEnvelope[] {
  return alerts.map((a) => oneEvent(ctx, a, flags));
}

/**
 * The messages for alerts that changed at one moment, all of one status: one
 * each, or one grouped message when there are more than STORM_GROUP_ABOVE.
 * (Escalations use this; triggers and resolutions go through storm-control.ts,
 * which groups across evaluations.)
 */
export function alertMessages(ctx: MessageContext, alerts: readonly Alert[], flags: MessageFlags = {}): EventEnvelope[] {
  if (alerts.length === 0) return [];
  if (alerts.length > STORM_GROUP_ABOVE) return [groupMessage(ctx, alerts, flags)];
  return singleMessages(ctx, alerts, flags);
}
