import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import type { EventSeverity } from '../describe-event.ts';
import { describeEvent, truncate } from '../describe-event.ts';

// An event as a Teams Workflows (Power Automate "When a Teams webhook request
// is received") message: one Adaptive Card attachment. Cards 1.4 is what
// Teams renders everywhere (desktop, web, mobile) today; 1.5 features would
// be dropped silently on mobile. Texts are not escaped: TextBlock markdown
// has no documented escape, and CommonMark leaves intra-word `_` (utm_source)
// alone. The card: the headline coloured by severity ("Escalated: ..." for an
// escalation), the sentence, a FactSet, a storm's worst cases as a list,
// Action.OpenUrl buttons, and a subtle context line.

export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.4';
  body: Record<string, unknown>[];
  actions: { type: 'Action.OpenUrl'; title: string; url: string }[];
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  attachments: { contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }[];
}

/** Adaptive Card TextBlock colours: Attention is red, Warning amber, Accent blue. */
const COLOR: Record<EventSeverity, string> = { critical: 'Attention', error: 'Attention', warning: 'Warning', info: 'Accent' };

export function renderTeamsMessage(event: EventEnvelope): TeamsMessage {
  const d = describeEvent(event);
  const card: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: d.title, weight: 'Bolder', size: 'Medium', color: COLOR[d.severity], wrap: true, style: 'heading' },
      { type: 'TextBlock', text: d.summary, wrap: true },
      ...(d.facts.length > 0 ? [{ type: 'FactSet', facts: d.facts.slice(0, 15).map((f) => ({ title: f.label, value: f.value })) }] : []),
      // A storm: the worst cases as a Markdown list (TextBlock renders "- " lines as bullets).
      ...(d.group
        ? [
            { type: 'TextBlock', text: `Worst cases (of ${d.group.count})`, weight: 'Bolder', wrap: true },
            { type: 'TextBlock', text: d.group.worst.map((w) => `- ${truncate(w, 280)}`).join('\n'), wrap: true },
          ]
        : []),
      { type: 'TextBlock', text: `linkhook · ${event.type} · ${event.id} · ${event.timestamp}`, isSubtle: true, size: 'Small', wrap: true },
    ],
    actions: d.links.slice(0, 5).map((l) => ({ type: 'Action.OpenUrl', title: truncate(l.text, 60), url: l.href })),
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
