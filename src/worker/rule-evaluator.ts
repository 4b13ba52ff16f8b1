import { hostname } from 'node:os';
import type { LifecycleDeps } from '../domain/rules/alert-lifecycle.ts';
import type { RuleEvaluation } from '../domain/rules/evaluate-rule.ts';
import { evaluateRule } from '../domain/rules/evaluate-rule.ts';
import type { EvaluatorRegistry } from '../domain/rules/evaluators/registry.ts';
import type { Rule } from '../domain/rules/rule.ts';
import { randomBase62 } from '../domain/shared/ids.ts';
import { createWakeup } from './wakeup.ts';

// The rule evaluator loop: every intervalMs, claim the enabled rules that are
// due (and whose trigger type this process can evaluate), evaluate each, and
// schedule its next evaluation one interval later. The claim is a lease
// (rules.next_eval_at moves to now + leaseMs in the claiming statement), so
// on PostgreSQL many workers share the rules without evaluating one twice,
// and a worker that dies mid-evaluation only delays its rules by the lease.

export interface RuleEvaluatorOptions {
  deps: LifecycleDeps;
  registry: EvaluatorRegistry;
  /** Between two evaluations of one rule (LINKHOOK_RULES_EVAL_MS). */
  intervalMs: number;
  /** How long a claimed rule is this worker's; default max(intervalMs, 5 min) (an evaluation reading a week of clicks may be slow). */
  leaseMs?: number;
  /** Rules per claim. Default 20. */
  batch?: number;
  owner?: string;
  onError?: (err: unknown, ruleId: string | null) => void;
}

export interface RuleEvaluator {
  readonly owner: string;
  start(): void;
  /** Claims and evaluates every due rule (in batches) once; for tests and tools. */
  runOnce(): Promise<RuleEvaluation[]>;
  stop(): Promise<void>;
}

const FIVE_MINUTES = 5 * 60_000;

export function createRuleEvaluator(opts: RuleEvaluatorOptions): RuleEvaluator {
  const { deps, registry, intervalMs } = opts;
  const leaseMs = opts.leaseMs ?? Math.max(intervalMs, FIVE_MINUTES);
  const batch = opts.batch ?? 20;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBase62(6)}`;
  const onError = opts.onError ?? ((err: unknown, id: string | null) => process.emitWarning(`rule evaluator${id ? ` (${id})` : ''}: ${String(err)}`));
  const types = [...registry.keys()];
  const wake = createWakeup();
  let running = false;
  let loop: Promise<void> | undefined;

  /** Until the rule's next evaluation: the loop's interval, or its evaluator's own cadence (which may depend on an open alert). */
  const cadenceOf = async (rule: Rule): Promise<number> => {
    const evaluator = registry.get(rule.trigger.type);
    if (!evaluator?.intervalMs) return intervalMs;
    const open = (await deps.storage.alerts.listOpen(rule.id)).length > 0;
    return evaluator.intervalMs(rule, { open, defaultMs: intervalMs });
  };

  const runOnce = async (): Promise<RuleEvaluation[]> => {
    const out: RuleEvaluation[] = [];
    for (;;) {
      const now = deps.clock.now();
      const claimed = await deps.storage.rules.claimDue({
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
        types,
        limit: batch,
      });
      for (const rule of claimed) {
        try {
          out.push(await evaluateRule(deps, registry, rule));
        } catch (err) {
          // A failing evaluator or database hiccup: the rule is tried again next interval.
          onError(err, rule.id);
        }
        const every = await cadenceOf(rule).catch((err: unknown) => {
          onError(err, rule.id);
          return intervalMs;
        });
        await deps.storage.rules.scheduleNext(rule.id, new Date(deps.clock.now().getTime() + every).toISOString()).catch((err: unknown) => onError(err, rule.id));
      }
      if (claimed.length < batch) return out;
    }
  };

  const run = async (): Promise<void> => {
    while (running) {
      try {
        await runOnce();
      } catch (err) {
        onError(err, null); // database down: try again next interval
      }
      await wake.sleepUnlessStopped(intervalMs);
    }
  };

  return {
    owner,
    start() {
      if (running || types.length === 0) return;
      running = true;
      loop = run();
    },
    runOnce,
    async stop() {
      running = false;
      wake.stop();
      await loop;
    },
  };
}
