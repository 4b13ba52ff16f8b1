import type { Clock } from '../shared/clock.ts';
import type { LifecycleDeps, LifecycleResult } from './alert-lifecycle.ts';
import { applyObservations } from './alert-lifecycle.ts';
import { escalateAlerts } from './escalate-alerts.ts';
import type { EvaluatorRegistry } from './evaluators/registry.ts';
import { resolveScope } from './resolve-scope.ts';
import type { Alert, Rule } from './rule.ts';

// One evaluation of one rule: resolve its scope, ask its evaluator, feed the
// lifecycle, then escalate what is overdue. The worker loop (src/worker/
// rule-evaluator.ts) claims rules and calls this; backtests and tests may
// call it directly.

export interface RuleEvaluation {
  rule: Rule;
  /** null when no evaluator is registered for the rule's trigger type (nothing ran). */
  result: LifecycleResult | null;
  escalated: Alert[];
}

export async function evaluateRule(deps: LifecycleDeps & { clock: Clock }, registry: EvaluatorRegistry, rule: Rule): Promise<RuleEvaluation> {
  const evaluator = registry.get(rule.trigger.type);
  if (!evaluator) return { rule, result: null, escalated: [] };
  const links = await resolveScope(deps.storage, rule.workspaceId, rule.scope);
  const now = deps.clock.now();
  const since = rule.evaluatedUntil ? new Date(rule.evaluatedUntil) : null;
  const observations = await evaluator.evaluate({ rule, now, since, links, storage: deps.storage, clock: deps.clock });
  const result = await applyObservations(deps, rule, observations, links, now);
  const escalated = await escalateAlerts(deps, rule, links);
  return { rule, result, escalated };
}
