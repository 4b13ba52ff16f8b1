import type { EventDescription } from '../describe-event.ts';
import type { TicketSubject } from '../ticket-lifecycle.ts';

// Jira wiki markup (REST API v2 takes descriptions and comments as wiki
// text on Cloud and on Data Center alike; v3's ADF is Cloud-only) for alert
// issues and comments, from the shared event description. User data is
// escaped so a "|" or "[" in a link title cannot break the table or make a link.

export function escapeWiki(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\|[\]{}*_!^~+#])/g, '\\$1');
}

/** The line the lifecycle looks for in a found issue: which event opened it. */
const OPENED_BY = /linkhook event (evt\\?_[A-Za-z0-9\\_]+)/;

export function openedBy(description: string): string | null {
  return OPENED_BY.exec(description)?.[1]?.replace(/\\/g, '') ?? null;
}

function factsTable(d: EventDescription): string {
  if (d.facts.length === 0) return '';
  return d.facts.map((f) => `||${escapeWiki(f.label)}|${escapeWiki(f.value)}|`).join('\n');
}

/** A storm's worst cases as a wiki list ('' for a single alert). */
function worstList(d: EventDescription): string {
  if (!d.group) return '';
  return [`*Worst cases* (of ${d.group.count}):`, ...d.group.worst.map((w) => `* ${escapeWiki(w)}`)].join('\n');
}

function linkLine(d: EventDescription): string {
  return d.links
    .filter((l) => /^https?:\/\/[^\s|\]]+$/i.test(l.href))
    .map((l) => `[${escapeWiki(l.text)}|${l.href}]`)
    .join(' · ');
}

/** Jira rejects summaries over 255 characters. */
export function issueSummary(d: EventDescription): string {
  return d.title.replace(/\s+/g, ' ').slice(0, 255);
}

export function renderDescription(d: EventDescription, subject: TicketSubject, eventId: string, timestamp: string): string {
  return [
    `*${escapeWiki(d.summary)}*`,
    factsTable(d),
    worstList(d),
    linkLine(d),
    `{color:#6b778c}Opened by linkhook at ${escapeWiki(timestamp)} for ${escapeWiki(d.type)}: commented when this alert triggers again, resolved when it resolves. ` +
      `Label ${escapeWiki(subject.tag)}, linkhook event ${escapeWiki(eventId)}.{color}`,
  ]
    .filter((p) => p !== '')
    .join('\n\n');
}

export function renderComment(d: EventDescription, action: 'repeat' | 'resolve', timestamp: string): string {
  const head =
    action === 'resolve'
      ? `(/) *Resolved* at ${escapeWiki(timestamp)}`
      : d.escalation
        ? `(!) *${escapeWiki(d.escalation)}* (escalated at ${escapeWiki(timestamp)})`
        : `(!) *Triggered again* at ${escapeWiki(timestamp)}`;
  return [head, escapeWiki(d.summary), factsTable(d), worstList(d)].filter((p) => p !== '').join('\n\n');
}
