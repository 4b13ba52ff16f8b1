import type { EventDescription, EventSeverity } from '../describe-event.ts';

// The email body of any event: the shared description (title, sentence,
// facts, links) as an HTML part a mail client shows, and a plain-text part
// for clients (and filters, and screen readers) that do not render HTML.
// Every value is user data (link titles, alert summaries, metadata), so
// the HTML escapes all of it and only builds markup from our own strings.

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const COLOURS: Record<EventSeverity, string> = {
  critical: '#b42318',
  error: '#d92d20',
  warning: '#b54708',
  info: '#175cd3',
};

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links become buttons: a `javascript:` URL in a link title must stay text. */
function safeHref(href: string): string | null {
  return /^https?:\/\/[^\s"'<>]+$/i.test(href) ? href : null;
}

/** Header values must not carry line breaks (header injection); mail clients cut long subjects anyway. */
function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function renderSubject(d: EventDescription, prefix: string | undefined): string {
  const p = prefix ? `${oneLine(prefix, 60)} ` : '';
  return oneLine(`${p}${d.title}`, 200);
}

export function renderEmail(d: EventDescription, opts: { subjectPrefix?: string | undefined; footer: string }): RenderedEmail {
  const colour = COLOURS[d.severity];
  const rows = d.facts
    .map(
      (f) =>
        `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;color:#475467;font-weight:600;white-space:nowrap">${escapeHtml(f.label)}</th>` +
        `<td style="padding:4px 0;color:#101828;word-break:break-word">${escapeHtml(f.value)}</td></tr>`,
    )
    .join('\n');
  const buttons = d.links
    .map((l) => ({ text: l.text, href: safeHref(l.href) }))
    .filter((l): l is { text: string; href: string } => l.href !== null)
    .map(
      (l, i) =>
        `<a href="${escapeHtml(l.href)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border-radius:6px;text-decoration:none;` +
        (i === 0 ? `background:${colour};color:#ffffff` : 'border:1px solid #d0d5dd;color:#344054') +
        `">${escapeHtml(l.text)}</a>`,
    )
    .join('');

  // A storm: its worst cases, one per line.
  const worst = d.group
    ? `<p style="margin:0 0 4px;color:#475467;font-weight:600">Worst cases (of ${d.group.count})</p>\n<ul style="margin:0 0 16px;padding-left:20px;color:#101828">\n${d.group.worst.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul>`
    : '';
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(d.title)}</title></head>
<body style="margin:0;padding:24px;background:#f9fafb;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5">
<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #eaecf0;border-top:4px solid ${colour};border-radius:8px;padding:20px 24px">
<p style="margin:0 0 4px;color:${colour};font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em">${escapeHtml(d.severity)} · ${escapeHtml(d.type)}</p>
<h1 style="margin:0 0 12px;font-size:20px;color:#101828">${escapeHtml(d.title)}</h1>
<p style="margin:0 0 16px;color:#344054">${escapeHtml(d.summary)}</p>
${rows ? `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin:0 0 16px">\n${rows}\n</table>` : ''}
${worst}
${buttons ? `<p style="margin:0">${buttons}</p>` : ''}
</div>
<p style="max-width:640px;margin:12px auto 0;color:#667085;font-size:12px">${escapeHtml(opts.footer)}</p>
</body></html>
`;

  const width = Math.min(20, Math.max(0, ...d.facts.map((f) => f.label.length)));
  const lines = [
    d.title,
    '='.repeat(Math.min(d.title.length, 72)),
    '',
    d.summary,
    '',
    ...d.facts.map((f) => `${`${f.label}:`.padEnd(width + 2)}${f.value.replace(/\r?\n/g, ' ')}`),
  ];
  if (d.group) lines.push('', `Worst cases (of ${d.group.count}):`, ...d.group.worst.map((w) => `  - ${w.replace(/\r?\n/g, ' ')}`));
  const links = d.links.filter((l) => safeHref(l.href) !== null);
  if (links.length > 0) lines.push('', ...links.map((l) => `${l.text}: ${l.href}`));
  lines.push('', '-- ', opts.footer, '');

  return { subject: renderSubject(d, opts.subjectPrefix), html, text: lines.join('\n') };
}
