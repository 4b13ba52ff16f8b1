import type { Config } from '../config/config.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { EvaluatorRegistry } from '../domain/rules/evaluators/registry.ts';
import type { Storage } from '../domain/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { RuleEvaluator } from '../worker/rule-evaluator.ts';
import { createRuleEvaluator } from '../worker/rule-evaluator.ts';

// Wiring of the rule evaluator loop, shared by `linkhook serve` (in-process
// next to the delivery worker unless LINKHOOK_WORKER=false) and `linkhook worker`.

export interface RuleEvaluatorParts {
  storage: Storage;
  clock: Clock;
  registry: EvaluatorRegistry;
  /** Wakes the delivery worker of this process when alerts are emitted. */
  signal: DeliverySignal;
  log?: (message: string) => void;
}

export function createRuleEvaluatorWorker(config: Readonly<Config>, parts: RuleEvaluatorParts): RuleEvaluator {
  const log = parts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return createRuleEvaluator({
    deps: { storage: parts.storage, clock: parts.clock, baseUrl: config.baseUrl, customDomainScheme: config.customDomainScheme, signal: parts.signal },
    registry: parts.registry,
    intervalMs: config.rulesEvalMs,
    onError: (err, ruleId) => log(`rule evaluator${ruleId ? ` (${ruleId})` : ''}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
}
