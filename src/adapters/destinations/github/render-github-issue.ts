import type { EventDescription } from '../describe-event.ts';
import type { TicketSubject } from '../ticket-lifecycle.ts';

// GitHub-flavoured Markdown for alert issues and their comments, from the
// shared event description. Values are user data (link titles, summaries,
// metadata): Markdown and HTML characters are escaped so they render as
// typed, and "@" is escaped so a summary cannot ping a GitHub user or team.

export function escapeMarkdown(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\`*_{}[\]()<>#+!|~@-])/g, '\\$1');
}

/** The hidden marker the lifecycle searches for: which alert, and which event opened the issue. */
export function issueMarker(subject: TicketSubject, eventId: string): string {
  return `<!-- linkhook:fingerprint=${subject.tag} event=${eventId} -->`;
}

const MARKER = /<!-- linkhook:fingerprint=(linkhook-fp-[0-9a-f]{16}) event=([A-Za-z0-9_]+) -->/;

export function parseMarker(body: string): { tag: string; eventId: string } | null {
  const m = MARKER.exec(body);
  return m ? { tag: m[1] ?? '', eventId: m[2] ?? '' } : null;
}

function factsTable(d: EventDescription): string {
  if (d.facts.length === 0) return '';
  const rows = d.facts.map((f) => `| ${escapeMarkdown(f.label)} | ${escapeMarkdown(f.value)} |`);
  return ['| | |', '| --- | --- |', ...rows].join('\n');
}

/** A storm's worst cases as a Markdown list ('' for a single alert). */
function worstList(d: EventDescription): string {
  if (!d.group) return '';
  return [`**Worst cases** (of ${d.group.count}):`, ...d.group.worst.map((w) => `- ${escapeMarkdown(w)}`)].join('\n');
}

function linkLine(d: EventDescription): string {
  const links = d.links.filter((l) => /^https?:\/\/[^\s()<>]+$/i.test(l.href));
  return links.map((l) => `[${escapeMarkdown(l.text)}](${l.href})`).join(' · ');
}

/** GitHub caps titles at 256 characters. */
export function issueTitle(d: EventDescription): string {
  return d.title.replace(/\s+/g, ' ').slice(0, 256);
}

export function renderIssueBody(d: EventDescription, subject: TicketSubject, eventId: string, timestamp: string): string {
  const parts = [`**${escapeMarkdown(d.summary)}**`, factsTable(d), worstList(d), linkLine(d)].filter((p) => p !== '');
  parts.push(
    `<sub>Opened by linkhook at ${escapeMarkdown(timestamp)} for \`${d.type}\`. It gets a comment each time this alert triggers again and is closed when it resolves.</sub>`,
    issueMarker(subject, eventId),
  );
  return parts.join('\n\n');
}

export function renderComment(d: EventDescription, action: 'repeat' | 'resolve', timestamp: string): string {
  const head =
    action === 'resolve'
      ? `✅ **Resolved** at ${escapeMarkdown(timestamp)}`
      : d.escalation
        ? `🚨 **${escapeMarkdown(d.escalation)}** (escalated at ${escapeMarkdown(timestamp)})`
        : `🔁 **Triggered again** at ${escapeMarkdown(timestamp)}`;
  return [head, escapeMarkdown(d.summary), factsTable(d), worstList(d)].filter((p) => p !== '').join('\n\n');
}
