import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import type { EventDescription, EventSeverity } from '../describe-event.ts';
import { describeEvent, truncate } from '../describe-event.ts';
import { renderSlackReport } from './render-slack-report.ts';

// An event as a Slack incoming-webhook message (Block Kit): a header with the
// headline, a section with the sentence and up to ten facts (link, figures,
// owner, action, country/device...), for a storm the worst cases as a list,
// buttons for the links, and a context line naming the event. An escalation
// says so in the header ("Escalated: ...") and first in the sentence. `text` is the fallback Slack shows in notifications
// and in clients that do not render blocks.
//
// Slack's limits (api.slack.com/reference/block-kit/blocks): header text 150
// characters, section text 3,000, at most 10 fields of 2,000, button text 75,
// button url 3,000, 50 blocks. Over a limit the whole message is refused
// with 400 invalid_blocks, so every text is truncated here.

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText; fields?: SlackText[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string; action_id: string }[] }
  | { type: 'context'; elements: SlackText[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_EMOJI: Record<EventSeverity, string> = {
  critical: ':red_circle:',
  error: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  info: ':large_blue_circle:',
};

/** Slack mrkdwn treats &, < and > as control characters (links, mentions); escape them in user text. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function factText(label: string, value: string): SlackText {
  // A URL becomes a <url|label> link unless it holds a character that would end the link early.
  const v = /^https?:\/\/[^\s<>|]+$/.test(value) ? `<${value}|${escapeMrkdwn(truncate(value.replace(/^https?:\/\//, ''), 200))}>` : escapeMrkdwn(value);
  return { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(label)}*\n${v}`, 2000) };
}

function blocksFor(d: EventDescription, event: EventEnvelope): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(d.title, 150), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${SEVERITY_EMOJI[d.severity]} ${escapeMrkdwn(d.summary)}`, 3000) },
      ...(d.facts.length > 0 ? { fields: d.facts.slice(0, 10).map((f) => factText(f.label, f.value)) } : {}),
    },
  ];
  if (d.group) {
    // A storm: the worst cases as a list under the figures (one line each, so a phone shows them whole).
    const lines = d.group.worst.map((w) => `• ${escapeMrkdwn(truncate(w, 280))}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Worst cases* (of ${d.group.count})\n${lines.join('\n')}`, 3000) } });
  }
  const buttons = d.links.filter((l) => l.href.length <= 3000).slice(0, 5);
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      elements: buttons.map((l, i) => ({ type: 'button', text: { type: 'plain_text', text: truncate(l.text, 75) }, url: l.href, action_id: `link_${i}` })),
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `linkhook · \`${escapeMrkdwn(event.type)}\` · ${escapeMrkdwn(event.id)} · <!date^${Math.floor(Date.parse(event.timestamp) / 1000)}^{date_short_pretty} {time}|${escapeMrkdwn(event.timestamp)}>` }],
  });
  return blocks;
}

export function renderSlackMessage(event: EventEnvelope): SlackMessage {
  // Scheduled reports are lists, not one fact grid: their own layout.
  const report = renderSlackReport(event);
  if (report) return report;
  const d = describeEvent(event);
  return {
    // Notifications and block-less clients show `text` only: headline and sentence.
    text: truncate(escapeMrkdwn(`${d.title} — ${d.summary}`), 3000),
    blocks: blocksFor(d, event),
  };
}
