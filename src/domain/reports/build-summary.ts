import type { EventData } from '../events/catalogue.ts';
import type { Link } from '../links/link.ts';
import { shortUrl } from '../links/short-url.ts';
import type { Repos } from '../ports.ts';
import type { ReportSchedule } from './report-schedule.ts';
import { scopedLinks } from './scoped-links.ts';

/** "2026-03-01 14:05 UTC": the issue details are read by people (email, Slack), not parsed. */
function readableUtc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

// The content of one scheduled summary (report.summary's `data.report`) for
// a period: figures a person reads over coffee, not a dashboard. Everything
// comes through the storage port; bots and test traffic never count.

export type ReportSummary = EventData<'report.summary'>['report'];

export interface SummaryContext {
  repos: Pick<Repos, 'links' | 'clicks' | 'reportStats' | 'linkMonitor'>;
  baseUrl: string;
  customDomainScheme: string;
}

const TOP = 5;
/** The chart shows a week of daily clicks, whatever the period: one day's bar alone says nothing. */
const CHART_DAYS = 7;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A link going from 0 to 2 clicks is not "growing": below 5 clicks in the period a link is not ranked. */
const MIN_GROWTH_CLICKS = 5;
const REQUIRED_UTM = ['source', 'medium', 'campaign'] as const;

/** YYYY-MM-DD of an instant in a zone ('en-CA' formats dates that way). */
function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export async function buildSummary(ctx: SummaryContext, schedule: ReportSchedule, period: { start: Date; end: Date }): Promise<ReportSummary> {
  const { repos } = ctx;
  const ws = schedule.workspaceId;
  const links = await scopedLinks(repos, ws, schedule.scope);
  const ids = links.map((l) => l.id);
  const byId = new Map(links.map((l) => [l.id, l]));
  const ref = (l: Link) => ({ link_id: l.id, short_url: shortUrl(l, ctx.baseUrl, ctx.customDomainScheme), title: l.title });
  const q = { workspaceId: ws, linkIds: ids, from: period.start, to: period.end };

  const counts = await repos.clicks.countByLink({ ...q, metric: 'clicks' });
  const current = new Map(counts.map((c) => [c.linkId, c]));
  const length = period.end.getTime() - period.start.getTime();
  const before = await repos.clicks.countByLink({ ...q, from: new Date(period.start.getTime() - length), to: period.start, metric: 'clicks' });
  const previous = new Map(before.map((c) => [c.linkId, c.count]));

  const ranked = counts.filter((c) => byId.has(c.linkId)).sort((a, b) => b.count - a.count || a.linkId.localeCompare(b.linkId));
  const top_links = ranked.slice(0, TOP).map((c) => ({ ...ref(byId.get(c.linkId) as Link), clicks: c.count }));

  // Growth as a ratio with +1 smoothing, so a new link (0 before) ranks by its volume, not as infinity.
  const growing_links = ranked
    .filter((c) => c.count >= MIN_GROWTH_CLICKS && c.count > (previous.get(c.linkId) ?? 0))
    .map((c) => ({ c, prev: previous.get(c.linkId) ?? 0 }))
    .sort((a, b) => (b.c.count + 1) / (b.prev + 1) - (a.c.count + 1) / (a.prev + 1) || b.c.count - a.c.count)
    .slice(0, TOP)
    .map(({ c, prev }) => ({ ...ref(byId.get(c.linkId) as Link), clicks: c.count, previous_clicks: prev }));

  const issues: ReportSummary['issues'] = [];
  for (const h of await repos.linkMonitor.listHealth(ids)) {
    const link = byId.get(h.linkId);
    if (!link || h.status !== 'failing') continue;
    const why = h.lastCheck ? (h.lastCheck.error ?? `HTTP ${h.lastCheck.status ?? '?'}`) : 'destination failing';
    issues.push({ ...ref(link), kind: 'failing_health_check', detail: `${why} since ${h.failingSince ? readableUtc(h.failingSince) : 'unknown'}` });
  }
  for (const link of links) {
    // Only campaign links need attribution: a link with no campaign and no UTM is not "incomplete".
    const isCampaign = link.campaign !== null || Object.keys(link.utm).length > 0;
    const missing = REQUIRED_UTM.filter((k) => !link.utm[k]);
    if (isCampaign && missing.length > 0) issues.push({ ...ref(link), kind: 'incomplete_utm', detail: `missing ${missing.map((k) => `utm_${k}`).join(', ')}` });
    const c = current.get(link.id);
    if (link.expiresAt && c && Date.parse(c.lastAt) >= Date.parse(link.expiresAt)) {
      issues.push({ ...ref(link), kind: 'expired_but_visited', detail: `expired ${readableUtc(link.expiresAt)}, last visit ${readableUtc(c.lastAt)}` });
    }
  }

  // "Active campaign": at least one of its links was visited this period.
  // Its links that were not (and existed for the whole period, and have not
  // expired) are worth a look: a broken placement, a forgotten send.
  const activeCampaigns = new Set(links.filter((l) => l.campaign !== null && current.has(l.id)).map((l) => l.campaign as string));
  const inactive_links = links
    .filter((l) => l.campaign !== null && activeCampaigns.has(l.campaign) && !current.has(l.id))
    .filter((l) => Date.parse(l.createdAt) <= period.start.getTime() && (l.expiresAt === null || Date.parse(l.expiresAt) > period.end.getTime()))
    .slice(0, 20)
    .map((l) => ({ ...ref(l), campaign: l.campaign as string }));

  // Hourly buckets folded into local days: exact for whole-hour zones (a
  // half-hour zone such as Asia/Kolkata puts one hour a day on the wrong side).
  const chartFrom = new Date(period.end.getTime() - CHART_DAYS * DAY_MS);
  const buckets = await repos.clicks.countByBucket({ ...q, from: chartFrom, metric: 'clicks' }, HOUR_MS);
  const days = new Map<string, number>();
  for (let t = period.end.getTime() - 1; t >= chartFrom.getTime(); t -= DAY_MS) days.set(localDate(new Date(t), schedule.timezone), 0);
  for (const b of buckets) {
    const d = localDate(new Date(b.bucketStart), schedule.timezone);
    if (days.has(d)) days.set(d, (days.get(d) ?? 0) + b.count);
  }
  const daily_clicks = [...days].map(([date, clicks]) => ({ date, clicks })).sort((a, b) => a.date.localeCompare(b.date));

  const totals = await repos.reportStats.totals(q);
  const countries = await repos.reportStats.top(q, 'country', TOP);
  const referrers = await repos.reportStats.top(q, 'referrer_domain', TOP);

  return {
    id: schedule.id,
    name: schedule.name,
    owner: schedule.owner,
    period_start: period.start.toISOString(),
    period_end: period.end.toISOString(),
    totals: { clicks: totals.clicks, scans: totals.scans, unique_visitors: totals.uniqueVisitors, bots: totals.bots, test: totals.test },
    top_links,
    top_countries: countries.map((c) => ({ country: c.value, clicks: c.clicks })),
    top_referrers: referrers.map((r) => ({ referrer_domain: r.value, clicks: r.clicks })),
    timezone: schedule.timezone,
    daily_clicks,
    growing_links,
    issues: issues.slice(0, 50),
    inactive_links,
  };
}
