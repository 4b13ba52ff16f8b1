import { policyOf, workspaceUtmUsage } from '../../links/check-utm-policies.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { checkUtmPolicy } from '../utm-policy.ts';
import { linkLabel } from './evaluator-support.ts';

// Trigger 5, UTM policy, for links ALREADY stored: the policy may be newer
// than the links, or a spelling may only have become a duplicate once other
// links settled on another one. (New and changed links are checked as they
// are written, see src/domain/links/check-utm-policies.ts.) One observation
// per scoped link, firing while it breaks the policy; the summary names the
// first problem and its fix, `details.problems` has them all.

export function createUtmPolicyEvaluator(): Evaluator {
  return {
    type: 'utm_policy',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const policy = policyOf(ctx.rule);
      const usage = await workspaceUtmUsage(ctx.storage, ctx.rule.workspaceId);
      return ctx.links.map((link) => {
        const problems = checkUtmPolicy(link.utm, policy, usage, link.campaign);
        const first = problems[0];
        return {
          subject: link.id,
          linkId: link.id,
          firing: first !== undefined,
          value: problems.length,
          threshold: 1,
          summary: first
            ? `${linkLabel(link)}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`
            : `${linkLabel(link)} follows the UTM policy`,
          details: { problems, utm: { ...link.utm } },
        };
      });
    },
  };
}
