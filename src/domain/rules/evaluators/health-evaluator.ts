import type { HealthMonitorDeps } from '../../links/monitor-health.ts';
import { isActiveLink, runHealthChecks } from '../../links/monitor-health.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { linkLabel } from './evaluator-support.ts';

// Trigger 4, destination health. Each evaluation checks the scoped links that
// are due (src/domain/links/monitor-health.ts: priority links every 5 min,
// others every 30, a failure confirmed a minute later) and answers one
// observation per scoped link: firing while its failure is CONFIRMED. A
// suspected failure (one bad check) is not firing, so a blip never reaches
// anyone. link.redirect_failed / _recovered are emitted by the monitor itself
// (once per link, whatever the number of rules watching it); the alert this
// observation feeds carries the rule's owner, action and endpoints.
//
// The link's state is shared by every health rule scoping it: it is checked
// at most once per interval, with the settings (max_hops, expected_domains)
// of the rule whose evaluation found it due. Rules with conflicting settings
// on the same links therefore judge them alike; keep one health rule per set
// of links when the settings differ.

export function createHealthEvaluator(deps: HealthMonitorDeps): Evaluator {
  return {
    type: 'health',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const { trigger } = ctx.rule;
      if (trigger.type !== 'health') throw new Error(`health evaluator got a ${trigger.type} rule`);
      const states = await runHealthChecks({ ...deps, storage: ctx.storage }, ctx.links, ctx.now, { maxHops: trigger.max_hops, expectedDomains: trigger.expected_domains });
      const out: Observation[] = [];
      for (const link of ctx.links) {
        const state = states.get(link.id);
        const label = linkLabel(link);
        if (!isActiveLink(link, ctx.now)) {
          out.push({ subject: link.id, linkId: link.id, firing: false, value: null, threshold: null, summary: `${label} is expired or switched off: its destination is not checked` });
          continue;
        }
        const check = state?.lastCheck ?? null;
        if (!state || !check || state.status !== 'failing') {
          const why = state?.status === 'suspect' ? 'one failed check, waiting for the confirming one' : check ? `answered ${check.status ?? 'ok'}` : 'not checked yet';
          out.push({ subject: link.id, linkId: link.id, firing: false, value: state?.consecutiveFailures ?? 0, threshold: 2, summary: `${label}: destination healthy (${why})` });
          continue;
        }
        out.push({
          subject: link.id,
          linkId: link.id,
          firing: true,
          value: state.consecutiveFailures,
          // Two consecutive failed checks confirm a failure.
          threshold: 2,
          summary: `${label}: destination ${check.url} is failing since ${state.failingSince ?? check.checkedAt}: ${check.error ?? check.errorClass ?? 'error'}`,
          details: {
            error_class: check.errorClass,
            error: check.error,
            status: check.status,
            url: check.url,
            final_url: check.finalUrl,
            chain: check.chain,
            failing_since: state.failingSince,
            consecutive_failures: state.consecutiveFailures,
            checked_at: check.checkedAt,
          },
        });
      }
      return out;
    },
  };
}
