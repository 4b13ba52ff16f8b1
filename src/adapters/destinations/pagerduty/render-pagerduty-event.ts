import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import { describeEvent, truncate } from '../describe-event.ts';

// An event as a PagerDuty Events API v2 event
// (developer.pagerduty.com/docs/events-api-v2/trigger-events).
//
// Which action, and which dedup_key (PagerDuty's incident identity):
//   alert.triggered / alert.resolved            trigger / resolve, dedup = the alert fingerprint
//   link.redirect_failed / ..._recovered       trigger / resolve, dedup = linkhook:redirect:<link id>
//   endpoint.disabled / endpoint.recovered     trigger / resolve, dedup = linkhook:endpoint:<endpoint id>
//   any other subscribed event                 trigger, dedup = the event id
// Pairs share a key so the recovery closes the incident its failure opened;
// a lone event keyed by its id means a retried delivery never opens a
// second incident. Subscribing a PagerDuty endpoint to link.clicked is the
// user's choice; we page as asked rather than drop events silently.

export type PagerDutyAction = 'trigger' | 'resolve';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client: string;
}

/** PagerDuty caps: summary 1,024 characters, dedup_key 255. */
const MAX_SUMMARY = 1024;
const MAX_DEDUP = 255;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function pagerDutyAction(event: EventEnvelope): { action: PagerDutyAction; dedupKey: string } {
  const data = event.data as Record<string, unknown>;
  const alert = data.alert as { fingerprint?: unknown } | undefined;
  const linkId = event.data.link?.id;
  const endpoint = data.endpoint as { id?: unknown } | undefined;
  const fingerprint = str(alert?.fingerprint);
  const endpointId = str(endpoint?.id);
  let pair: { key: string; resolves: boolean } | null = null;
  if ((event.type === 'alert.triggered' || event.type === 'alert.resolved') && fingerprint) pair = { key: fingerprint, resolves: event.type === 'alert.resolved' };
  else if ((event.type === 'link.redirect_failed' || event.type === 'link.redirect_recovered') && linkId) pair = { key: `linkhook:redirect:${linkId}`, resolves: event.type === 'link.redirect_recovered' };
  else if ((event.type === 'endpoint.disabled' || event.type === 'endpoint.recovered') && endpointId) pair = { key: `linkhook:endpoint:${endpointId}`, resolves: event.type === 'endpoint.recovered' };
  if (!pair) return { action: 'trigger', dedupKey: truncate(event.id, MAX_DEDUP) };
  return { action: pair.resolves ? 'resolve' : 'trigger', dedupKey: truncate(pair.key, MAX_DEDUP) };
}

export function renderPagerDutyEvent(event: EventEnvelope, routingKey: string): PagerDutyEvent {
  const { action, dedupKey } = pagerDutyAction(event);
  // A resolve needs only the key: PagerDuty ignores any payload on it.
  if (action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey, client: 'linkhook' };
  const d = describeEvent(event);
  const link = event.data.link;
  const details: Record<string, unknown> = Object.fromEntries(d.facts.map((f) => [f.label, f.value]));
  if (d.escalation) details.escalation = d.escalation;
  if (d.group) details.worst_cases = d.group.worst;
  details.event_id = event.id;
  details.event_type = event.type;
  details.workspace_id = event.workspace_id;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: truncate(d.alert ? `${d.title}: ${d.alert.summary}` : `${d.title}: ${d.summary}`, MAX_SUMMARY),
      // `source` is "the unique location of the affected system": the short link's host, else linkhook.
      source: link ? (link.domain ?? new URL(link.short_url).host) : 'linkhook',
      severity: d.severity,
      timestamp: event.timestamp,
      ...(link ? { component: link.short_url } : {}),
      ...(link?.campaign ? { group: link.campaign } : {}),
      class: d.alert?.metric ?? event.type,
      custom_details: details,
    },
    links: d.links.map((l) => ({ href: l.href, text: l.text })),
    client: 'linkhook',
  };
}
