import type { AlertPayload, ClickPayload, EventEnvelope, LinkPayload } from '../../domain/events/envelope.ts';

// One readable description of any event, shared by every human-facing
// destination (Slack, Teams, PagerDuty, email, GitHub, Jira). Each of them
// renders the same title, sentence and facts in its own format, so a
// `link.redirect_failed` reads the same in a Slack channel and in an email.
//
// It reads the envelope defensively: event-specific fields it knows are
// described by name; any other scalar field of `data` still shows up as a
// fact, so a new event type is readable before anyone writes a line for it.

export type EventSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface EventFact {
  label: string;
  value: string;
}

export interface EventLink {
  text: string;
  href: string;
}

export interface EventDescription {
  /** The event type, e.g. `alert.triggered`. */
  type: string;
  /** Short headline: "Alert: Click spike on go.acme.com/spring" (at most 150 characters). */
  title: string;
  /** One or two sentences: what happened, on what. */
  summary: string;
  /** Label/value pairs, most important first (link, figures, owner, action...). */
  facts: EventFact[];
  /** The main URL to open (the short link), or null. */
  url: string | null;
  /** Every URL worth a button: short link, destination, runbook. */
  links: EventLink[];
  severity: EventSeverity;
  /** data.alert for alert.* events, else null. */
  alert: AlertPayload | null;
  /** An escalated alert (`alert.escalated`): "Escalated: not acknowledged within 30m"; else null. */
  escalation: string | null;
  /** A grouped storm message (`alert.group`): how many, and the worst cases one line each, which every renderer lists; else null. */
  group: EventGroup | null;
}

export interface EventGroup {
  /** "12 links tripped Broken redirects". */
  headline: string;
  count: number;
  /** What was counted: links, or subjects (domains, a workspace-wide sum). */
  of: 'links' | 'subjects';
  /** The worst cases' summaries, worst first (at most 5). */
  worst: string[];
}

/** Slack field texts stop at 2,000 characters and Teams facts get unreadable long before. */
const MAX_VALUE = 300;
const MAX_TITLE = 150;

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.length > 0 ? v.join(', ') : null;
  return null;
}

/** The first http(s) URL in a text ("…; see https://wiki/runbook."), without trailing punctuation. */
function firstUrl(s: string): string | null {
  const m = /https?:\/\/[^\s<>"]+/i.exec(s);
  return m ? m[0].replace(/[.,;:!?)\]]+$/, '') : null;
}

/** `utm_incomplete` -> "Utm incomplete": a label for a field nobody described. */
function humanize(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function linkName(link: LinkPayload | undefined): string | null {
  if (!link) return null;
  return link.short_url.replace(/^https?:\/\//, '');
}

function alertOf(data: Record<string, unknown>): AlertPayload | null {
  const a = data.alert;
  if (isRecord(a) && typeof a.fingerprint === 'string' && typeof a.summary === 'string') return a as unknown as AlertPayload;
  return null;
}

/** "not acknowledged within 30m" for an escalated alert, else null. */
function escalationReason(a: AlertPayload | null): string | null {
  if (!a?.escalated) return null;
  return `not acknowledged within ${a.response_time ?? 'its response time'}`;
}

/** "12 links tripped Launch spike" for a grouped message, else null. */
function groupOf(a: AlertPayload | null): EventGroup | null {
  const g = a?.group;
  if (!a || !g) return null;
  const of = g.worst.every((w) => w.link_id !== null) ? 'links' : 'subjects';
  const verb = a.status === 'resolved' ? 'recovered from' : 'tripped';
  const noun = g.count === 1 ? of.slice(0, -1) : of;
  return { headline: `${g.count} ${noun} ${verb} ${a.rule_name}`, count: g.count, of, worst: g.worst.map((w) => w.summary) };
}

function alertSeverity(a: AlertPayload): EventSeverity {
  if (a.status === 'resolved') return 'info';
  return a.severity;
}

function clickFacts(c: ClickPayload): EventFact[] {
  const place = [c.city, c.region, c.country].filter((x): x is string => !!x).join(', ');
  const facts: EventFact[] = [];
  if (place) facts.push({ label: 'Country', value: place });
  facts.push({ label: 'Device', value: [c.device, c.browser, c.os].filter((x): x is string => !!x).join(' · ') });
  if (c.referrer_domain ?? c.referrer) facts.push({ label: 'Referrer', value: (c.referrer_domain ?? c.referrer) as string });
  if (c.is_qr) facts.push({ label: 'QR code', value: c.qr_code_id ?? 'yes' });
  if (c.is_bot) facts.push({ label: 'Bot', value: 'yes' });
  if (c.is_test) facts.push({ label: 'Test traffic', value: 'yes' });
  return facts;
}

function alertFacts(a: AlertPayload, group: EventGroup | null): EventFact[] {
  const facts: EventFact[] = [];
  if (group) {
    facts.push({ label: group.of === 'links' ? 'Links affected' : 'Subjects affected', value: String(group.count) });
  }
  facts.push({ label: 'Severity', value: a.status === 'resolved' ? `${a.severity} (resolved)` : a.severity });
  if (a.metric !== null) {
    const parts = [`${a.metric}: ${a.value ?? '?'}`];
    if (a.threshold !== null) parts.push(`threshold ${a.threshold}`);
    if (a.window !== null) parts.push(`over ${a.window}`);
    facts.push({ label: 'Figures', value: parts.join(', ') });
  }
  facts.push({ label: 'Owner', value: a.owner.contact ? `${a.owner.name} (${a.owner.contact})` : a.owner.name });
  if (a.action) facts.push({ label: 'Action', value: a.action });
  facts.push({ label: 'Rule', value: a.rule_name });
  return facts;
}

/** Headline, sentence and severity per event type; the facts are gathered generically below. */
function headline(
  type: string,
  data: Record<string, unknown>,
  link: string | null,
  alert: AlertPayload | null,
  { escalation, group }: Pick<EventDescription, 'escalation' | 'group'>,
): { title: string; summary: string; severity: EventSeverity } {
  const on = link ? ` ${link}` : '';
  const endpoint = isRecord(data.endpoint) ? (text(data.endpoint.name) ?? text(data.endpoint.url_host) ?? text(data.endpoint.id)) : null;
  switch (type) {
    case 'alert.triggered':
    case 'alert.resolved': {
      const a = alert;
      const verb = escalation ? 'Escalated' : type === 'alert.resolved' ? 'Resolved' : 'Alert';
      const what = group ? group.headline : `${a?.rule_name ?? 'alert'}${link ? ` on ${link}` : ''}`;
      const summary = a?.summary ?? type;
      return { title: `${verb}: ${what}`, summary: escalation ? `${escalation}. ${summary}` : summary, severity: a ? alertSeverity(a) : 'warning' };
    }
    case 'link.created':
      return { title: `Link created:${on}`, summary: `A new short link${on} was created.`, severity: 'info' };
    case 'link.updated':
      return { title: `Link updated:${on}`, summary: `The short link${on} was changed.`, severity: 'info' };
    case 'link.deleted':
      return { title: `Link deleted:${on}`, summary: `The short link${on} was deleted; it no longer redirects.`, severity: 'warning' };
    case 'link.destination_changed':
      return { title: `Destination changed:${on}`, summary: `The short link${on} now sends visitors somewhere else.`, severity: 'info' };
    case 'link.clicked':
      return { title: `Click on${on}`, summary: `Someone clicked${on}.`, severity: 'info' };
    case 'qr.scanned':
      return { title: `QR scan of${on}`, summary: `Someone scanned the QR code of${on}.`, severity: 'info' };
    case 'link.expiring':
      return { title: `Link expiring soon:${on}`, summary: `The short link${on} expires soon.`, severity: 'warning' };
    case 'link.expired':
      return { title: `Link expired:${on}`, summary: `The short link${on} has expired.`, severity: 'warning' };
    case 'link.scheduled_change_applied':
      return { title: `Scheduled change applied:${on}`, summary: `A scheduled change to${on} took effect.`, severity: 'info' };
    case 'link.utm_incomplete':
      return { title: `UTM tags incomplete:${on}`, summary: `The campaign link${on} is missing UTM values, so its traffic will not be attributed.`, severity: 'warning' };
    case 'link.redirect_failed':
      return { title: `Broken redirect:${on}`, summary: `The destination of${on} is failing; visitors land on an error.`, severity: 'error' };
    case 'link.redirect_recovered':
      return { title: `Redirect recovered:${on}`, summary: `The destination of${on} answers again.`, severity: 'info' };
    case 'report.summary': {
      const r = isRecord(data.report) ? data.report : {};
      const name = text(r.name) ?? 'Summary';
      const totals = isRecord(r.totals) ? r.totals : {};
      const figures = ['clicks', 'scans', 'unique_visitors'].flatMap((k) => (typeof totals[k] === 'number' ? [`${(totals[k]).toLocaleString('en-US')} ${k.replace(/_/g, ' ')}`] : []));
      const period = text(r.period_start) && text(r.period_end) ? ` for ${text(r.period_start)?.slice(0, 10)} to ${text(r.period_end)?.slice(0, 10)}` : '';
      return { title: `Report: ${name}`, summary: figures.length > 0 ? `${figures.join(', ')}${period}.` : `The report "${name}" is ready${period}.`, severity: 'info' };
    }
    case 'endpoint.disabled':
      return { title: `Endpoint disabled: ${endpoint ?? 'endpoint'}`, summary: `Deliveries to ${endpoint ?? 'an endpoint'} are paused because it kept failing or is gone.`, severity: 'warning' };
    case 'endpoint.recovered':
      return { title: `Endpoint recovered: ${endpoint ?? 'endpoint'}`, summary: `${endpoint ?? 'An endpoint'} answers again; missed deliveries are being replayed.`, severity: 'info' };
    case 'import.completed': {
      const i = isRecord(data.import) ? data.import : {};
      const from = text(i.file) ? ` from ${text(i.file)}` : '';
      const counts = typeof i.created === 'number' && typeof i.rows === 'number' ? `: ${i.created} of ${i.rows} rows became links${typeof i.failed === 'number' && i.failed > 0 ? `, ${i.failed} failed` : ''}` : '';
      return { title: `Import completed${from}`, summary: `A bulk import of links${from} finished${counts}.`, severity: typeof i.failed === 'number' && i.failed > 0 ? 'warning' : 'info' };
    }
    default:
      return { title: `${type}${link ? `: ${link}` : ''}`, summary: `Event ${type}${link ? ` on ${link}` : ''}.`, severity: 'info' };
  }
}

/** Fields of `data` that are described elsewhere (or are not for humans). */
const SKIP = new Set(['link', 'click', 'alert']);

/** "503 HTTP 503 Service Unavailable in 412 ms" from a health check or a last error. */
function outcome(r: Record<string, unknown>): string {
  const status = text(r.status);
  const err = text(r.error) ?? text(r.message);
  const took = typeof r.duration_ms === 'number' ? ` in ${r.duration_ms} ms` : '';
  return [status && !(err ?? '').includes(status) ? status : null, err].filter(Boolean).join(' ') + took;
}

/** report.summary's figures: totals and the top lists, one fact each. */
function reportFacts(r: Record<string, unknown>): EventFact[] {
  const facts: EventFact[] = [];
  if (text(r.period_start) && text(r.period_end)) facts.push({ label: 'Period', value: `${text(r.period_start)} – ${text(r.period_end)}` });
  if (isRecord(r.totals)) for (const [k, v] of Object.entries(r.totals)) if (typeof v === 'number') facts.push({ label: humanize(k), value: v.toLocaleString('en-US') });
  const top = (key: string, label: string, name: (x: Record<string, unknown>) => string): void => {
    const list = Array.isArray(r[key]) ? (r[key] as unknown[]).filter(isRecord) : [];
    if (list.length > 0) facts.push({ label, value: list.slice(0, 5).map((x) => `${name(x)} (${text(x.clicks) ?? '?'})`).join(', ') });
  };
  top('top_links', 'Top links', (x) => (text(x.short_url) ?? text(x.link_id) ?? '?').replace(/^https?:\/\//, ''));
  top('top_countries', 'Top countries', (x) => text(x.country) ?? 'unknown');
  top('top_referrers', 'Top referrers', (x) => text(x.referrer_domain) ?? 'direct');
  if (text(r.owner)) facts.push({ label: 'Owner', value: text(r.owner) as string });
  return facts;
}

/** `{ field: { before, after } }` or `[{ field, before, after }]`: link.updated's changes. */
function changeFacts(changes: unknown): EventFact[] {
  const entries: [string, unknown][] = Array.isArray(changes)
    ? changes.filter(isRecord).map((c) => [text(c.field) ?? '?', c])
    : isRecord(changes)
      ? Object.entries(changes)
      : [];
  return entries.filter(([, c]) => isRecord(c)).map(([field, c]) => {
    const r = c as Record<string, unknown>;
    return { label: `Changed: ${field}`, value: `${text(r.before) ?? '—'} → ${text(r.after) ?? '—'}` };
  });
}

/** Scalars and one level of nested objects (actor, endpoint, check, figures) as facts. */
function dataFacts(data: Record<string, unknown>): EventFact[] {
  const facts: EventFact[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (SKIP.has(key)) continue;
    if (key === 'changes') {
      facts.push(...changeFacts(value));
      continue;
    }
    const t = text(value);
    if (t !== null) {
      facts.push({ label: humanize(key), value: t });
    } else if (isRecord(value)) {
      const named = text(value.name);
      if (key === 'actor') {
        if (named) facts.push({ label: 'By', value: named });
      } else if (key === 'report') facts.push(...reportFacts(value));
      else if (key === 'endpoint') {
        const extra = [text(value.kind), text(value.url_host)].filter(Boolean).join(', ');
        facts.push({ label: 'Endpoint', value: `${named ?? text(value.id) ?? '?'}${extra ? ` (${extra})` : ''}` });
        if (text(value.owner)) facts.push({ label: 'Owner', value: text(value.owner) as string });
      } else if (key === 'check' || key === 'last_error') facts.push({ label: key === 'check' ? 'Last check' : 'Last error', value: outcome(value) });
      else if (key === 'import') {
        for (const [k, v] of Object.entries(value)) if (text(v) !== null) facts.push({ label: humanize(k), value: text(v) as string });
      } else {
        const parts = Object.entries(value).flatMap(([k, v]) => (text(v) === null ? [] : [`${k.replace(/_/g, ' ')}: ${text(v)}`]));
        if (parts.length > 0) facts.push({ label: humanize(key), value: parts.join(', ') });
      }
    }
  }
  return facts;
}

export function describeEvent(event: EventEnvelope): EventDescription {
  const data = event.data as Record<string, unknown>;
  const link = event.data.link;
  const click = event.data.click;
  const alert = alertOf(data);
  const name = linkName(link);
  const reason = escalationReason(alert);
  const escalation = reason === null ? null : `Escalated: ${reason}`;
  const group = groupOf(alert);
  const head = headline(event.type, data, name, alert, { escalation, group });

  const facts: EventFact[] = [];
  // An escalation is the news of its message: its fact comes before everything.
  if (alert && reason !== null) facts.push({ label: 'Escalated', value: `${reason} (triggered ${alert.triggered_at})` });
  if (link) {
    facts.push({ label: 'Link', value: link.short_url });
    facts.push({ label: 'Destination', value: link.destination_url });
  }
  if (alert) facts.push(...alertFacts(alert, group));
  if (click) facts.push(...clickFacts(click));
  facts.push(...dataFacts(data));
  if (link?.campaign) facts.push({ label: 'Campaign', value: link.campaign });
  if (link && link.tags.length > 0) facts.push({ label: 'Tags', value: link.tags.join(', ') });
  if (link?.owner && !alert) facts.push({ label: 'Owner', value: link.owner });

  const links: EventLink[] = [];
  if (link) links.push({ text: 'Open short link', href: link.short_url }, { text: 'Destination', href: link.destination_url });
  const runbook = alert ? firstUrl(alert.action) : null;
  if (runbook) links.push({ text: 'Runbook', href: runbook });

  return {
    type: event.type,
    title: truncate(head.title, MAX_TITLE),
    summary: head.summary,
    facts: facts.filter((f) => f.value !== '').map((f) => ({ label: f.label, value: truncate(f.value, MAX_VALUE) })),
    url: link?.short_url ?? null,
    links,
    severity: head.severity,
    alert,
    escalation,
    group,
  };
}
