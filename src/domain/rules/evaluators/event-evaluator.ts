import type { Click } from '../../clicks/click.ts';
import type { Rule } from '../rule.ts';
import type { EvaluationCadence, EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { countQuery, lastWindow, linkLabel, plural, windowMsOf } from './evaluator-support.ts';

// Trigger 1, "every event": each click or scan on a scoped link (a priority
// link, a launch page) is worth a message — but 400 clicks in a minute are
// one message, not 400. Each evaluation answers ONE observation for the whole
// scope (subject 'scope'): how many, the first and last, which links, and a
// few examples. The cadence does the coalescing (intervalMs):
//
//   - quiet (no open alert): every LINKHOOK_RULES_EVAL_MS (60 s), or the
//     window if shorter, so the FIRST click is reported within about a
//     minute — someone opened the proposal link now, not up to 5 min later;
//   - active (the alert is open): once per window, so a burst is one
//     message per window, and "two quiet windows" (the hysteresis) means
//     two real windows before it resolves.
//
// Windows are tumbling and gap-free: each starts where the last committed
// evaluation ended (ctx.since, stored as rules.evaluated_until in the
// lifecycle's transaction), so a click is counted in exactly one window even
// when the loop runs late or the process restarts. The observation is marked
// `eachWindow`: every window with clicks is one message (the same alert,
// re-sent with the window's figures), whatever the cooldown; two quiet
// windows in a row resolve it.

/** Examples in a message: enough to see who and where, few enough to read on a phone (Slack folds past ~5 lines). */
export const EVENT_EXAMPLES = 5;
/** Links named in the breakdown, busiest first; the rest are summed as "and N more". */
const TOP_LINKS = 10;
/**
 * Live windows end this far behind the clock: a click is stored by the
 * redirect's group commit a few milliseconds after its timestamp, and a
 * window must not close before its clicks are in. 5 s covers a stalled disk.
 */
export const EVENT_SETTLE_MS = 5_000;
/** After a long outage of the evaluator, one message covers at most the last week (older clicks are history, not news). */
export const EVENT_MAX_CATCH_UP_MS = 7 * 86_400_000;

function example(c: Click): Record<string, unknown> {
  return { at: c.ts, link_id: c.linkId, country: c.country, device: c.deviceType, browser: c.browser, referrer_domain: c.referrerDomain, qr: c.isQr };
}

export function createEventEvaluator(): Evaluator {
  return {
    type: 'event',
    intervalMs(rule: Rule, { open, defaultMs }: EvaluationCadence): number {
      if (rule.trigger.type !== 'event') return defaultMs;
      const window = windowMsOf(rule.trigger.window);
      return open ? window : Math.min(window, defaultMs);
    },
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const { trigger } = ctx.rule;
      if (trigger.type !== 'event') throw new Error(`event evaluator got a ${trigger.type} rule`);
      // Backtests (no `since` at all) replay a settled log: exact windows.
      const settle = ctx.since === undefined ? 0 : EVENT_SETTLE_MS;
      const nowMs = ctx.now.getTime();
      const sinceMs = ctx.since ? ctx.since.getTime() : null;
      const start = sinceMs !== null && sinceMs < nowMs ? Math.max(sinceMs, nowMs - EVENT_MAX_CATCH_UP_MS) : nowMs - windowMsOf(trigger.window);
      const to = new Date(nowMs - settle);
      const from = new Date(start - settle);
      const q = countQuery(ctx, trigger.metric, from, to);
      const perLink = (await ctx.storage.clicks.countByLink(q)).sort((a, b) => b.count - a.count || (a.linkId < b.linkId ? -1 : 1));
      const total = perLink.reduce((n, r) => n + r.count, 0);
      if (total === 0) {
        return [{ subject: 'scope', linkId: null, firing: false, value: 0, threshold: 1, summary: `No ${trigger.metric} on the rule's links in ${lastWindow(trigger.window)}` }];
      }
      const byId = new Map(ctx.links.map((l) => [l.id, l]));
      // A window stretched by a late loop reads "in the last 5m"; a catch-up after an outage says where it starts.
      const span = to.getTime() - from.getTime() > 2 * windowMsOf(trigger.window) ? `since ${from.toISOString()}` : `in ${lastWindow(trigger.window)}`;
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
          summary: `${plural(total, trigger.metric)} ${where} ${span} (first ${first}, last ${last})`,
          eachWindow: true,
          details: {
            count: total,
            first_at: first,
            last_at: last,
            window: trigger.window,
            from: from.toISOString(),
            to: to.toISOString(),
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
