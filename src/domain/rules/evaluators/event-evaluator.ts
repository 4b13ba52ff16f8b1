import type { Click } from '../../clicks/click.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { countQuery, lastWindow, linkLabel, plural, windowMsOf } from './evaluator-support.ts';

// Trigger 1, "every event": each click or scan on a scoped link (a priority
// link, a launch page) is worth a message — but 400 clicks in a minute are
// one message, not 400. So an evaluation looks at [now − window, now) and
// answers ONE observation for the whole scope (subject 'scope'): how many,
// the first and last, which links, and a few examples. The loop evaluates
// every LINKHOOK_RULES_EVAL_MS (60 s), so consecutive windows overlap and
// every click is in at least one of them; the lifecycle keeps one alert open
// while clicks keep coming (updated, reminded once per cooldown) and
// resolves it after quiet evaluations — one message per burst.

/** Examples in a message: enough to see who and where, few enough to read on a phone (Slack folds past ~5 lines). */
export const EVENT_EXAMPLES = 5;
/** Links named in the breakdown, busiest first; the rest are summed as "and N more". */
const TOP_LINKS = 10;

function example(c: Click): Record<string, unknown> {
  return { at: c.ts, link_id: c.linkId, country: c.country, device: c.deviceType, browser: c.browser, referrer_domain: c.referrerDomain, qr: c.isQr };
}

export function createEventEvaluator(): Evaluator {
  return {
    type: 'event',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const { trigger } = ctx.rule;
      if (trigger.type !== 'event') throw new Error(`event evaluator got a ${trigger.type} rule`);
      const to = ctx.now;
      const from = new Date(to.getTime() - windowMsOf(trigger.window));
      const q = countQuery(ctx, trigger.metric, from, to);
      const perLink = (await ctx.storage.clicks.countByLink(q)).sort((a, b) => b.count - a.count || (a.linkId < b.linkId ? -1 : 1));
      const total = perLink.reduce((n, r) => n + r.count, 0);
      if (total === 0) {
        return [{ subject: 'scope', linkId: null, firing: false, value: 0, threshold: 1, summary: `No ${trigger.metric} on the rule's links in ${lastWindow(trigger.window)}` }];
      }
      const byId = new Map(ctx.links.map((l) => [l.id, l]));
      const first = perLink.reduce((m, r) => (r.firstAt < m ? r.firstAt : m), perLink[0]?.firstAt ?? '');
      const last = perLink.reduce((m, r) => (r.lastAt > m ? r.lastAt : m), perLink[0]?.lastAt ?? '');
      const examples = await ctx.storage.clicks.listInRange(q, EVENT_EXAMPLES);
      const top = perLink[0];
      const topLink = top ? byId.get(top.linkId) : undefined;
      const where =
        perLink.length === 1 && topLink ? `on ${linkLabel(topLink)}` : `on ${perLink.length} links${topLink ? `, most on ${linkLabel(topLink)}` : ''}`;
      return [
        {
          subject: 'scope',
          // One link: name it, so the message and PagerDuty/Jira dedup keys point at it.
          linkId: perLink.length === 1 ? (top?.linkId ?? null) : null,
          firing: true,
          value: total,
          threshold: 1,
          summary: `${plural(total, trigger.metric)} ${where} in ${lastWindow(trigger.window)} (first ${first}, last ${last})`,
          details: {
            count: total,
            first_at: first,
            last_at: last,
            window: trigger.window,
            links: perLink.slice(0, TOP_LINKS).map((r) => {
              const l = byId.get(r.linkId);
              return { link_id: r.linkId, link: l ? linkLabel(l) : null, count: r.count };
            }),
            more_links: Math.max(0, perLink.length - TOP_LINKS),
            examples: examples.map(example),
          },
        },
      ];
    },
  };
}
