import type { Link } from '../../links/link.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import type { Trigger } from '../rule.ts';
import { countsByLink, lastWindow, linkLabel, plural, windowMsOf } from './evaluator-support.ts';

// Trigger 2, absolute volume: clicks or scans in the sliding window
// [now − window, now) at or above (`>=`) or at or below (`<=`) a value, per
// link (default; subject = the link id) or summed over the scope (subject
// 'scope').
//
// `<=` needs care, because "nothing happened" is also what a link that
// cannot have had traffic yet looks like:
// - A link younger than one window has not had a full window to collect
//   clicks; judging it would fire on every new link. It is not judged
//   (observation not firing, details.reason 'too_new') until it is one
//   window old. `>=` judges it at once: being over the value is a fact
//   however young the link is.
// - A scope with no links (a tag nobody uses yet) has no traffic to be low:
//   `<=` does not fire on it. The sum over a scope is judged once at least one
//   of its links is a window old; younger links still add their clicks.

type ThresholdTrigger = Extract<Trigger, { type: 'threshold' }>;

function crosses(t: ThresholdTrigger, n: number): boolean {
  return t.op === '>=' ? n >= t.value : n <= t.value;
}

function verdict(judged: boolean, firing: boolean, words: string): string {
  if (!judged) return 'not judged yet (younger than the window)';
  return firing ? words : `not ${words}`;
}

function oldEnough(link: Link, now: Date, windowMs: number): boolean {
  return Date.parse(link.createdAt) <= now.getTime() - windowMs;
}

export function createThresholdEvaluator(): Evaluator {
  return {
    type: 'threshold',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const t = ctx.rule.trigger;
      if (t.type !== 'threshold') throw new Error(`threshold evaluator got a ${t.type} rule`);
      const windowMs = windowMsOf(t.window);
      const from = new Date(ctx.now.getTime() - windowMs);
      const counts = await countsByLink(ctx, t.metric, from, ctx.now);
      const base = { threshold: t.value, details: { window: t.window, op: t.op, metric: t.metric } };
      const words = `${t.op === '>=' ? 'at or above' : 'at or below'} ${t.value}`;

      if (t.per === 'scope') {
        const sum = [...counts.values()].reduce((a, b) => a + b, 0);
        const judged = t.op === '>=' || ctx.links.some((l) => oldEnough(l, ctx.now, windowMs));
        const firing = judged && crosses(t, sum);
        const reason = ctx.links.length === 0 ? 'empty_scope' : judged ? undefined : 'too_new';
        return [
          {
            subject: 'scope',
            linkId: null,
            firing,
            value: sum,
            ...base,
            summary: `${plural(sum, t.metric)} over ${ctx.links.length} link${ctx.links.length === 1 ? '' : 's'} in ${lastWindow(t.window)}, ${ctx.links.length === 0 ? 'empty scope' : verdict(judged, firing, words)}`,
            details: { ...base.details, links: ctx.links.length, ...(reason ? { reason } : {}) },
          },
        ];
      }

      return ctx.links.map((link): Observation => {
        const n = counts.get(link.id) ?? 0;
        const judged = t.op === '>=' || oldEnough(link, ctx.now, windowMs);
        const firing = judged && crosses(t, n);
        return {
          subject: link.id,
          linkId: link.id,
          firing,
          value: n,
          ...base,
          summary: `${plural(n, t.metric)} on ${linkLabel(link)} in ${lastWindow(t.window)}, ${verdict(judged, firing, words)}`,
          details: judged ? base.details : { ...base.details, reason: 'too_new' },
        };
      });
    },
  };
}
