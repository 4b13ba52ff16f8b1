import type { EventEnvelope } from '../../events/envelope.ts';
import type { Link } from '../../links/link.ts';
import { isExpired } from '../../links/resolve-destination.ts';
import { DEFAULT_LEAD_TIMES_MS } from '../../links/sweep-lifecycle.ts';
import { parseDuration } from '../duration.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { linkLabel } from './evaluator-support.ts';

// Trigger 6, lifecycle, as alerts with the rule's owner and action (the
// link.expiring / link.expired / link.scheduled_change_applied EVENTS come
// from the lifecycle sweep, src/domain/links/sweep-lifecycle.ts, whatever the
// rules). Three subjects per scoped link, each firing while its condition holds:
//
// - `<link>:expiring`: expires_at is within the longest lead time (default 7d).
// - `<link>:expired_traffic`: the link has expired and humans still arrived in
//   the last 24 h — a printed flyer or a newsletter still points at it.
// - `<link>:qr_destination_changed` (trigger 7b): the destination changed in
//   the last 24 h on a link that has a campaign, has been scanned as a QR
//   code, and is still live. Printed codes cannot be updated, so whoever runs
//   the campaign should know that every code in circulation now lands
//   somewhere else. Detected here, from the link.destination_changed events
//   the link use cases already write, rather than in updateLink: it needs no
//   new event type, and it reaches the rule's owner with its action.
//
// 24 h windows: both conditions are "someone should look today"; a shorter
// window would let a trickle of clicks (one every few hours) flap the alert.

export const RECENT_WINDOW_MS = 24 * 3_600_000;

function leadTimes(lead: readonly string[] | undefined): number[] {
  if (!lead || lead.length === 0) return [...DEFAULT_LEAD_TIMES_MS];
  return lead.map((t) => {
    const ms = parseDuration(t);
    if (ms === undefined) throw new Error(`invalid lifecycle lead time "${t}"`);
    return ms;
  });
}

/** Link ids whose destination changed in [from, to], from the outbox, with the latest change. */
async function destinationChanges(ctx: EvaluationContext, from: Date, to: Date): Promise<Map<string, EventEnvelope>> {
  const out = new Map<string, EventEnvelope>();
  // `until` is exclusive; a change committed at this very instant counts.
  const filter = { type: 'link.destination_changed', since: from.toISOString(), until: new Date(to.getTime() + 1).toISOString() };
  // Newest first: the first event seen per link is its latest change.
  for (let cursor: string | undefined; ; ) {
    const page = await ctx.storage.events.list(ctx.rule.workspaceId, filter, { cursor, limit: 500 });
    for (const e of page.items) {
      const id = e.data.link?.id;
      if (id && !out.has(id)) out.set(id, e);
    }
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

export function createLifecycleEvaluator(): Evaluator {
  return {
    type: 'lifecycle',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const { trigger } = ctx.rule;
      if (trigger.type !== 'lifecycle') throw new Error(`lifecycle evaluator got a ${trigger.type} rule`);
      const maxLead = Math.max(...leadTimes(trigger.lead_times));
      const now = ctx.now;
      const recent = new Date(now.getTime() - RECENT_WINDOW_MS);
      const changes = await destinationChanges(ctx, recent, now);
      const out: Observation[] = [];
      for (const link of ctx.links) {
        out.push(expiring(link, now, maxLead));
        out.push(await expiredTraffic(ctx, link, now, recent));
        out.push(await qrDestinationChanged(ctx, link, now, changes.get(link.id)));
      }
      return out;
    },
  };
}

/** "6d", "20h", "45m": the time left in its largest whole unit, as a person would say it. */
function roughly(ms: number): string {
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)}d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}h`;
  return `${Math.max(1, Math.floor(ms / 60_000))}m`;
}

function expiring(link: Link, now: Date, maxLead: number): Observation {
  const subject = `${link.id}:expiring`;
  const left = link.expiresAt === null ? null : Date.parse(link.expiresAt) - now.getTime();
  const firing = left !== null && left > 0 && left <= maxLead;
  const summary = firing
    ? `${linkLabel(link)} expires in ${roughly(left)} (at ${link.expiresAt ?? ''})`
    : `${linkLabel(link)} is not about to expire`;
  return { subject, linkId: link.id, firing, value: left === null ? null : Math.round(left / 1000), threshold: Math.round(maxLead / 1000), summary, details: { expires_at: link.expiresAt } };
}

async function expiredTraffic(ctx: EvaluationContext, link: Link, now: Date, recent: Date): Promise<Observation> {
  const subject = `${link.id}:expired_traffic`;
  if (!isExpired(link, now) || link.expiresAt === null) {
    return { subject, linkId: link.id, firing: false, value: 0, threshold: 1, summary: `${linkLabel(link)} has not expired` };
  }
  const from = new Date(Math.max(Date.parse(link.expiresAt), recent.getTime()));
  // Bots only when the rule opts in (include_bots), as for every traffic count.
  const clicks = await ctx.storage.linkMonitor.countLinkClicks(link.id, from.toISOString(), now.toISOString(), { includeBots: ctx.rule.includeBots });
  const where = link.expiredUrl ? `sent to ${link.expiredUrl}` : 'answered 410 Gone';
  const noun = ctx.rule.includeBots ? 'visit' : 'click';
  return {
    subject,
    linkId: link.id,
    firing: clicks > 0,
    value: clicks,
    threshold: 1,
    summary: `${linkLabel(link)} expired at ${link.expiresAt} and still got ${clicks} ${noun}${clicks === 1 ? '' : 's'} in the last 24h (${where})`,
    details: { expired_at: link.expiresAt, expired_url: link.expiredUrl, clicks_since: from.toISOString() },
  };
}

async function qrDestinationChanged(ctx: EvaluationContext, link: Link, now: Date, change: EventEnvelope | undefined): Promise<Observation> {
  const subject = `${link.id}:qr_destination_changed`;
  const quiet = (why: string): Observation => ({ subject, linkId: link.id, firing: false, value: 0, threshold: 1, summary: `${linkLabel(link)}: ${why}` });
  if (!change) return quiet('destination unchanged in the last 24h');
  if (link.campaign === null || isExpired(link, now)) return quiet('no running campaign');
  const scans = await ctx.storage.linkMonitor.countLinkClicks(link.id, link.createdAt, change.timestamp, { qr: true });
  if (scans === 0) return quiet('never scanned as a QR code before its destination changed');
  const data = change.data as { old_url?: string; new_url?: string; actor?: { type: string; name: string | null } };
  return {
    subject,
    linkId: link.id,
    firing: true,
    value: scans,
    threshold: 1,
    summary: `${linkLabel(link)} (campaign ${link.campaign}, scanned ${scans} times as a QR code) now sends printed codes to ${data.new_url ?? '?'} instead of ${data.old_url ?? '?'}`,
    details: { campaign: link.campaign, scans_before_change: scans, old_url: data.old_url, new_url: data.new_url, changed_at: change.timestamp, changed_by: data.actor ?? null, event_id: change.id },
  };
}
