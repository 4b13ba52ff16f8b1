import { EVENT_CATALOGUE } from '../../../domain/events/catalogue.ts';
import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import { truncate } from '../describe-event.ts';
import type { SlackBlock, SlackMessage } from './render-slack-message.ts';
import { escapeMrkdwn } from './render-slack-message.ts';

// report.summary as a Slack message: a header, the totals, then one section
// each for top links, fastest-growing links, suspected issues and idle
// campaign links. Sections, not fields: a list of five links reads better
// as lines than as a two-column grid. Limits as in render-slack-message.ts
// (section text 3,000 characters, header 150).

const ISSUE: Record<string, string> = {
  failing_health_check: ':red_circle: destination failing',
  incomplete_utm: ':large_yellow_circle: incomplete UTM',
  expired_but_visited: ':hourglass: expired but visited',
};

function linkText(l: { short_url: string; title: string | null }): string {
  const label = escapeMrkdwn(truncate(l.title ?? l.short_url.replace(/^https?:\/\//, ''), 80));
  return /^https?:\/\/[^\s<>|]+$/.test(l.short_url) ? `<${l.short_url}|${label}>` : label;
}

function section(title: string, lines: string[], empty: string): SlackBlock {
  const body = lines.length > 0 ? lines.join('\n') : `_${empty}_`;
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${title}*\n${body}`, 3000) } };
}

/** The report message, or undefined when the event is not a well-formed report.summary. */
export function renderSlackReport(event: EventEnvelope): SlackMessage | undefined {
  if (event.type !== 'report.summary') return undefined;
  const parsed = EVENT_CATALOGUE['report.summary'].schema.safeParse(event.data);
  if (!parsed.success) return undefined;
  const r = parsed.data.report;
  const n = (v: number) => v.toLocaleString('en-US');
  const totals = `${n(r.totals.clicks)} clicks · ${n(r.totals.unique_visitors)} unique visitors · ${n(r.totals.scans)} QR scans`;
  const period = `${r.period_start.slice(0, 16).replace('T', ' ')} – ${r.period_end.slice(0, 16).replace('T', ' ')} UTC`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Report: ${r.name}`, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`:bar_chart: ${totals}\n${escapeMrkdwn(period)}`, 3000) } },
    section('Top links', r.top_links.map((l, i) => `${i + 1}. ${linkText(l)}: ${n(l.clicks)}`), 'No clicks in this period.'),
    section('Fastest-growing', r.growing_links.map((l) => `${linkText(l)}: ${n(l.clicks)} (previous ${n(l.previous_clicks)})`), 'No link grew against the previous period.'),
    section('Suspected issues', r.issues.slice(0, 15).map((i) => `${ISSUE[i.kind] ?? i.kind}: ${linkText(i)} (${escapeMrkdwn(truncate(i.detail, 120))})`), 'Nothing suspicious found.'),
  ];
  if (r.inactive_links.length > 0) {
    blocks.push(section('No activity despite an active campaign', r.inactive_links.slice(0, 15).map((l) => `${linkText(l)} (${escapeMrkdwn(l.campaign)})`), ''));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `linkhook · \`report.summary\` · ${escapeMrkdwn(event.id)}` }] });
  return { text: truncate(escapeMrkdwn(`Report: ${r.name} — ${totals}`), 3000), blocks };
}
