import type { z } from 'zod';
import type { EventEnvelope } from './envelope.ts';
import { EVENT_DATA_SCHEMAS } from './event-data-schemas.ts';
import { OTHER_EVENT_SAMPLES } from './sample-alert-events.ts';
import { LINK_EVENT_SAMPLES } from './sample-link-events.ts';

// The one closed catalogue of event types. Each entry says what triggers it,
// which class of endpoint it naturally feeds, the schema of its `data`, and a
// sample envelope. docs/events.md documents every entry and
// test/events-doc.test.ts keeps the two in sync both ways, like the error
// catalogue. Adding an event means adding it here, a schema, a sample, and a
// docs section, or the suite fails. Names are never renamed once shipped:
// receivers switch on them.

/**
 * `change`: something a person or the system did to a link (audit trail, CRM sync).
 * `report`: traffic and summaries (analytics feeds, warehouses, digests).
 * `alert`: something someone should act on (on-call, owner, ticket).
 */
export type EventClass = 'alert' | 'report' | 'change';

const S = { ...LINK_EVENT_SAMPLES, ...OTHER_EVENT_SAMPLES };
const D = EVENT_DATA_SCHEMAS;

export const EVENT_CATALOGUE = {
  'link.created': { class: 'change', description: 'A link was created (API, bulk create or CSV import: one event per link).', schema: D['link.created'], sample: S['link.created'] },
  'link.updated': { class: 'change', description: 'A link was changed; `changes` lists each changed field with its value before and after.', schema: D['link.updated'], sample: S['link.updated'] },
  'link.deleted': { class: 'change', description: 'A link was deleted; `link` is the link as it was. Its clicks stay in the click log.', schema: D['link.deleted'], sample: S['link.deleted'] },
  'link.destination_changed': { class: 'change', description: 'Where a visitor is sent changed (new URL or new UTM values): old and new destination, who changed it and when.', schema: D['link.destination_changed'], sample: S['link.destination_changed'] },
  'link.clicked': { class: 'report', description: 'A visit to a short link was redirected (web click, not a QR scan).', schema: D['link.clicked'], sample: S['link.clicked'] },
  'qr.scanned': { class: 'report', description: "A link's QR code was scanned (a visit carrying the QR marker).", schema: D['qr.scanned'], sample: S['qr.scanned'] },
  'link.expiring': { class: 'alert', description: 'A link will expire soon: once at each lead time before `expires_at` (default 7 days and 1 day).', schema: D['link.expiring'], sample: S['link.expiring'] },
  'link.expired': { class: 'alert', description: 'A link reached its `expires_at`; visitors now go to `expired_url`, or get 410 when there is none.', schema: D['link.expired'], sample: S['link.expired'] },
  'link.scheduled_change_applied': { class: 'change', description: 'A scheduled change took effect: a new destination, or the link switched off.', schema: D['link.scheduled_change_applied'], sample: S['link.scheduled_change_applied'] },
  'link.utm_incomplete': { class: 'alert', description: 'A link breaks a UTM policy (missing keys, values not allowed, wrong case or separator, another spelling of a known value), with the fix for each problem.', schema: D['link.utm_incomplete'], sample: S['link.utm_incomplete'] },
  'link.redirect_failed': { class: 'alert', description: "The health monitor found a link's destination failing (HTTP error, DNS, TLS, timeout, redirect loop, too many hops, unexpected domain), confirmed by a second check.", schema: D['link.redirect_failed'], sample: S['link.redirect_failed'] },
  'link.redirect_recovered': { class: 'alert', description: "A failing link's destination answers again.", schema: D['link.redirect_recovered'], sample: S['link.redirect_recovered'] },
  'alert.triggered': { class: 'alert', description: 'An alert rule fired (spike, drop, unexpected region...): summary, figures, owner and action.', schema: D['alert.triggered'], sample: S['alert.triggered'] },
  'alert.resolved': { class: 'alert', description: "An alert's condition cleared; same `fingerprint` as the alert.triggered it resolves.", schema: D['alert.resolved'], sample: S['alert.resolved'] },
  'report.summary': { class: 'report', description: 'A scheduled summary: totals, top and fastest-growing links, suspected issues, idle campaign links, daily clicks.', schema: D['report.summary'], sample: S['report.summary'] },
  'endpoint.disabled': { class: 'alert', description: 'An endpoint was disabled (kept failing, answered 410, or switched off by hand); its owner is told.', schema: D['endpoint.disabled'], sample: S['endpoint.disabled'] },
  'endpoint.recovered': { class: 'alert', description: 'A disabled endpoint answers again and was resumed; missed deliveries are being replayed.', schema: D['endpoint.recovered'], sample: S['endpoint.recovered'] },
  'import.completed': { class: 'change', description: 'A CSV import finished: rows read, links created, rows failed, and its QA findings.', schema: D['import.completed'], sample: S['import.completed'] },
} as const satisfies Record<keyof typeof EVENT_DATA_SCHEMAS, { class: EventClass; description: string; schema: z.ZodTypeAny; sample: EventEnvelope }>;

export type EventType = keyof typeof EVENT_CATALOGUE;

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

const KNOWN = new Set<string>(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN.has(value);
}

/** The `data` of an event type, as its schema parses it. */
export type EventData<T extends EventType> = z.output<(typeof EVENT_CATALOGUE)[T]['schema']>;

/** A typed envelope of one event type. */
export type EventOf<T extends EventType> = EventEnvelope<EventData<T>> & { type: T };
