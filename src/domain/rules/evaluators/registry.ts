import type { Evaluator } from '../evaluator.ts';
import type { TriggerType } from '../rule.ts';

// Which trigger types this process can evaluate. Each evaluator file exports
// `create<X>Evaluator(deps): Evaluator`; the entrypoint (src/entrypoints/
// create-rule-evaluator.ts) builds them with their adapters and assembles the
// registry here. A rule whose type has no evaluator is stored and listed but
// never claimed, so a worker without (say) the health monitor leaves those
// rules to a worker that has it.

export type EvaluatorRegistry = ReadonlyMap<TriggerType, Evaluator>;

/** One evaluator per trigger type; a second one for a type is a wiring bug, not a choice. */
export function createEvaluatorRegistry(evaluators: readonly Evaluator[]): EvaluatorRegistry {
  const out = new Map<TriggerType, Evaluator>();
  for (const e of evaluators) {
    if (out.has(e.type)) throw new Error(`two evaluators registered for trigger type ${e.type}`);
    out.set(e.type, e);
  }
  return out;
}
