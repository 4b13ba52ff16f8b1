import { EVENT_CATALOGUE } from '../../../domain/events/catalogue.ts';
import type { EventData } from '../../../domain/events/catalogue.ts';
import type { EventEnvelope } from '../../../domain/events/envelope.ts';
import { describeEvent } from '../describe-event.ts';
import { renderBarChart } from './render-bar-chart.ts';
import type { RenderedEmail } from './render-email.ts';
import { escapeHtml, renderSubject } from './render-email.ts';

// report.summary as an email a person reads: totals, a chart of daily
// clicks (inline PNG, cid:), and tables for top links, fastest-growing
// links, suspected issues and idle campaign links. Every other event keeps
// the generic rendering (render-email.ts). All values are user data and are
// escaped; markup comes only from our strings.

type Report = EventData<'report.summary'>['report'];

export interface InlineImage {
  cid: string;
  filename: string;
  contentType: 'image/png';
  content: Buffer;
}

export interface RenderedReportEmail extends RenderedEmail {
  attachments: InlineImage[];
}

const CHART_CID = 'daily-clicks@linkhook';
const ISSUE_LABELS: Record<Report['issues'][number]['kind'], string> = {
  failing_health_check: 'Destination failing',
  incomplete_utm: 'Incomplete UTM',
  expired_but_visited: 'Expired but still visited',
};

const n = (v: number): string => v.toLocaleString('en-US');
const host = (url: string): string => url.replace(/^https?:\/\//, '');

function table(caption: string, head: string[], rows: string[][], empty: string): string {
  const th = head.map((h) => `<th align="left" style="padding:4px 12px 4px 0;color:#475467;font-size:12px">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td style="padding:4px 12px 4px 0;color:#101828;word-break:break-word">${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return (
    `<h2 style="margin:20px 0 8px;font-size:16px;color:#101828">${escapeHtml(caption)}</h2>\n` +
    (rows.length === 0
      ? `<p style="margin:0;color:#667085">${escapeHtml(empty)}</p>`
      : `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%"><tr>${th}</tr>\n${body}\n</table>`)
  );
}

function linkName(l: { short_url: string; title: string | null }): string {
  return l.title ? `${host(l.short_url)} (${l.title})` : host(l.short_url);
}

/** The report email, or undefined when the event is not a well-formed report.summary (the generic email is sent then). */
export function renderReportEmail(event: EventEnvelope, opts: { subjectPrefix?: string | undefined; footer: string }): RenderedReportEmail | undefined {
  if (event.type !== 'report.summary') return undefined;
  const parsed = EVENT_CATALOGUE['report.summary'].schema.safeParse(event.data);
  if (!parsed.success) return undefined;
  const r = parsed.data.report;
  const d = describeEvent(event);
  const period = `${r.period_start.slice(0, 16).replace('T', ' ')} – ${r.period_end.slice(0, 16).replace('T', ' ')} UTC`;
  const t = r.totals;
  const totals = [`${n(t.clicks)} clicks`, `${n(t.unique_visitors)} unique visitors`, `${n(t.scans)} QR scans`];
  const excluded = `Not counted: ${n(t.bots)} bot and ${n(t.test)} test visits.`;
  const chart = renderBarChart(r.daily_clicks.map((x) => x.clicks));
  const chartAlt = r.daily_clicks.map((x) => `${x.date}: ${x.clicks}`).join(', ');
  const dayCells = r.daily_clicks.map((x) => `<td align="center" style="padding:2px 4px;color:#475467;font-size:11px">${escapeHtml(x.date.slice(5))}<br><b style="color:#101828">${escapeHtml(n(x.clicks))}</b></td>`).join('');

  const sections = [
    table('Top links', ['Link', 'Clicks'], r.top_links.map((l) => [linkName(l), n(l.clicks)]), 'No clicks in this period.'),
    table('Fastest-growing links', ['Link', 'Clicks', 'Previous period'], r.growing_links.map((l) => [linkName(l), n(l.clicks), n(l.previous_clicks)]), 'No link grew against the previous period.'),
    table('Suspected issues', ['Link', 'Issue', 'Detail'], r.issues.map((i) => [linkName(i), ISSUE_LABELS[i.kind], i.detail]), 'Nothing suspicious found.'),
    table('No activity despite an active campaign', ['Link', 'Campaign'], r.inactive_links.map((l) => [linkName(l), l.campaign]), 'Every link of an active campaign had visits.'),
  ].join('\n');

  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(d.title)}</title></head>
<body style="margin:0;padding:24px;background:#f9fafb;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5">
<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #eaecf0;border-top:4px solid #175cd3;border-radius:8px;padding:20px 24px">
<p style="margin:0 0 4px;color:#175cd3;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em">report · ${escapeHtml(period)}</p>
<h1 style="margin:0 0 12px;font-size:20px;color:#101828">${escapeHtml(r.name)}</h1>
<p style="margin:0 0 4px;color:#101828;font-size:16px">${escapeHtml(totals.join(' · '))}</p>
<p style="margin:0 0 16px;color:#667085;font-size:12px">${escapeHtml(excluded)}</p>
<h2 style="margin:16px 0 8px;font-size:16px;color:#101828">Daily clicks (${escapeHtml(r.timezone)})</h2>
<img src="cid:${CHART_CID}" width="560" height="140" alt="${escapeHtml(`Daily clicks: ${chartAlt}`)}" style="display:block;max-width:100%;height:auto;border:0">
<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%;table-layout:fixed"><tr>${dayCells}</tr></table>
${sections}
</div>
<p style="max-width:640px;margin:12px auto 0;color:#667085;font-size:12px">${escapeHtml(r.owner ? `Sent to ${r.owner}. ${opts.footer}` : opts.footer)}</p>
</body></html>
`;

  const list = (title: string, rows: string[]) => [title, ...(rows.length > 0 ? rows.map((x) => `  - ${x}`) : ['  (none)']), ''];
  const text = [
    r.name,
    '='.repeat(Math.min(r.name.length, 72)),
    period,
    '',
    totals.join(', '),
    excluded,
    '',
    ...list(`Daily clicks (${r.timezone})`, r.daily_clicks.map((x) => `${x.date}: ${x.clicks}`)),
    ...list('Top links', r.top_links.map((l) => `${linkName(l)}: ${l.clicks}`)),
    ...list('Fastest-growing links', r.growing_links.map((l) => `${linkName(l)}: ${l.clicks} (previous ${l.previous_clicks})`)),
    ...list('Suspected issues', r.issues.map((i) => `${linkName(i)}: ${ISSUE_LABELS[i.kind]}, ${i.detail}`)),
    ...list('No activity despite an active campaign', r.inactive_links.map((l) => `${linkName(l)} (${l.campaign})`)),
    '-- ',
    opts.footer,
    '',
  ].join('\n');

  return {
    subject: renderSubject(d, opts.subjectPrefix),
    html,
    text,
    attachments: [{ cid: CHART_CID, filename: 'daily-clicks.png', contentType: 'image/png', content: chart }],
  };
}
