import type { Evaluator } from '../domain/rules/evaluator.ts';
import { createChangeEvaluator } from '../domain/rules/evaluators/change-evaluator.ts';
import { createEventEvaluator } from '../domain/rules/evaluators/event-evaluator.ts';
import { createLifecycleEvaluator } from '../domain/rules/evaluators/lifecycle-evaluator.ts';
import { createQrRegionEvaluator } from '../domain/rules/evaluators/qr-region-evaluator.ts';
import type { EvaluatorRegistry } from '../domain/rules/evaluators/registry.ts';
import { createEvaluatorRegistry } from '../domain/rules/evaluators/registry.ts';
import { createThresholdEvaluator } from '../domain/rules/evaluators/threshold-evaluator.ts';

// The trigger types this process evaluates: one evaluator per type, built
// with its adapters. Evaluators that need adapters (health: the outbound
// client; domain_health: DNS and TLS) are passed in by the caller that owns
// those adapters, so this file stays free of them.

export function wireEvaluators(extra: readonly Evaluator[] = []): EvaluatorRegistry {
  return createEvaluatorRegistry([
    createEventEvaluator(),
    createThresholdEvaluator(),
    createChangeEvaluator(),
    createQrRegionEvaluator(),
    createLifecycleEvaluator(),
    ...extra,
  ]);
}
