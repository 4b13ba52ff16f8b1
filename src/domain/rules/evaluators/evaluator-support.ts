import type { Link } from '../../links/link.ts';
import type { ClickCountQuery } from '../../ports.ts';
import { parseDuration } from '../duration.ts';
import type { EvaluationContext } from '../evaluator.ts';
import type { Metric } from '../rule.ts';

// What the click-count evaluators (event, threshold, change, qr_region) share:
// the window, the count query a rule implies, and how a link is named in a
// message. Every evaluator answers one observation per subject per
// evaluation, firing or not, so the lifecycle can resolve an alert whose
// condition cleared without remembering which subjects it asked about.

/** The rule's window in ms; a rule with an unparseable window was refused at creation, so this is a bug. */
export function windowMsOf(window: string): number {
  const ms = parseDuration(window);
  if (ms === undefined) throw new Error(`invalid rule window "${window}"`);
  return ms;
}

/** The count query for this rule over [from, to): its scoped links, its metric, bots only if it opts in. */
export function countQuery(ctx: EvaluationContext, metric: Metric, from: Date, to: Date, links: readonly Link[] = ctx.links): ClickCountQuery {
  return { workspaceId: ctx.rule.workspaceId, linkIds: links.map((l) => l.id), from, to, metric, includeBots: ctx.rule.includeBots };
}

/** Counts per link id (links without clicks are absent from the query's answer: 0). */
export async function countsByLink(ctx: EvaluationContext, metric: Metric, from: Date, to: Date, links?: readonly Link[]): Promise<Map<string, number>> {
  const rows = await ctx.storage.clicks.countByLink(countQuery(ctx, metric, from, to, links));
  return new Map(rows.map((r) => [r.linkId, r.count]));
}

/** How a message names a link: host/slug for custom domains, /slug on the default one, the title if any. */
export function linkLabel(link: Pick<Link, 'domain' | 'slug' | 'title'>): string {
  const path = link.domain === null ? `/${link.slug}` : `${link.domain}/${link.slug}`;
  return link.title ? `${path} (${link.title})` : path;
}

/** "1 click", "12 scans". */
export function plural(n: number, metric: Metric): string {
  const noun = metric === 'clicks' ? 'click' : 'scan';
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The scope's window as words: "the last 5m". */
export function lastWindow(window: string): string {
  return `the last ${window}`;
}
