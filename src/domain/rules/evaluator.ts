import type { Link } from '../links/link.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../ports.ts';
import type { Rule, TriggerType } from './rule.ts';

/**
 * What an evaluator saw for one subject at one evaluation: firing or not,
 * the figure and the threshold it was held against. The alert lifecycle
 * (alert-lifecycle.ts) turns a stream of observations into triggered /
 * updated / resolved alerts with hysteresis, cooldown and storm grouping —
 * evaluators never emit alerts themselves.
 */
export interface Observation {
  /** Subject key: a link id, a hostname, or 'scope'. */
  subject: string;
  linkId: string | null;
  firing: boolean;
  value: number | null;
  threshold: number | null;
  /** One readable sentence: what, on what, compared to what. */
  summary: string;
  details?: Record<string, unknown>;
  /**
   * New information at every evaluation it fires (the `event` trigger: the
   * clicks of a window of their own): messaged each time, not once per
   * cooldown. The evaluator's own cadence (intervalMs) is then its rate.
   */
  eachWindow?: boolean;
}

export interface EvaluationContext {
  rule: Rule;
  now: Date;
  /** The enabled rule's scoped links (resolved once per evaluation). */
  links: readonly Link[];
  storage: Storage;
  clock: Clock;
  /**
   * The time the rule's last committed evaluation looked at (null before the
   * first, and in backtests): a trigger that must count each event once
   * (`event`) starts its window here.
   */
  since?: Date | null;
}

/**
 * One per trigger type: pure over what it reads through the storage port; tested with a ManualClock.
 * Report every subject you looked at, firing or not: an open alert whose
 * subject is missing from the observations counts as clear (after
 * RESOLVE_AFTER_CLEAR_EVALUATIONS such evaluations it resolves). Subjects
 * must be unique within one evaluation.
 */
export interface Evaluator {
  readonly type: TriggerType;
  evaluate(ctx: EvaluationContext): Promise<Observation[]>;
  /**
   * Optional: how long until this rule's next evaluation, when the trigger
   * needs its own cadence (e.g. `event` rules: once per window while their
   * alert is open). Default: the loop's interval (LINKHOOK_RULES_EVAL_MS).
   */
  intervalMs?(rule: Rule, state: EvaluationCadence): number;
}

/** What an evaluator's cadence may depend on, as of the evaluation just committed. */
export interface EvaluationCadence {
  /** The rule has an alert in `triggered` state. */
  open: boolean;
  /** The loop's own interval (LINKHOOK_RULES_EVAL_MS). */
  defaultMs: number;
}
