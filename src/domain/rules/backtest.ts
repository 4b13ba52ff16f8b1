import { z } from 'zod';
import { zodProblems } from '../links/link-input.ts';
import type { Storage } from '../ports.ts';
import { ManualClock } from '../shared/clock.ts';
import { notFound, validationError } from '../shared/errors.ts';
import type { Evaluator } from './evaluator.ts';
import { createChangeEvaluator } from './evaluators/change-evaluator.ts';
import { createEventEvaluator } from './evaluators/event-evaluator.ts';
import { QR_REGION_WINDOW_MS, createQrRegionEvaluator } from './evaluators/qr-region-evaluator.ts';
import { createThresholdEvaluator } from './evaluators/threshold-evaluator.ts';
import { windowMsOf } from './evaluators/evaluator-support.ts';
import { resolveScope } from './resolve-scope.ts';
import type { Rule, TriggerType } from './rule.ts';

// Backtest: replay a period of stored clicks through a rule's evaluator, as
// if it had run then, so thresholds are set from real volume rather than
// guesses. Nothing is written: no alerts, no events. The evaluator runs at
// each step of one window (the rule's window; 1 h for qr_region) from
// `from + window` to `to`, with a ManualClock at the step, over the scope's
// links as they are now. Only triggers that read the click log can be
// replayed; health, lifecycle, UTM policy and domain health depend on the
// outside world at the time, which no log recorded.

/** 10,000 steps: 35 days of 5-minute windows, a year of hourly ones; a minute or two of queries on SQLite. */
export const MAX_BACKTEST_STEPS = 10_000;
/** Firings returned; past it, `truncated` is true (a rule firing this often needs a higher threshold, not a longer list). */
export const MAX_BACKTEST_FIRINGS = 5_000;

export interface BacktestFiring {
  at: string;
  link_id: string | null;
  subject: string;
  value: number | null;
  threshold: number | null;
  summary: string;
}

export interface BacktestResult {
  rule_id: string;
  from: string;
  to: string;
  window: string;
  steps: number;
  firings: BacktestFiring[];
  truncated: boolean;
}

const REPLAYABLE: Partial<Record<TriggerType, () => Evaluator>> = {
  event: createEventEvaluator,
  threshold: createThresholdEvaluator,
  change: createChangeEvaluator,
  qr_region: createQrRegionEvaluator,
};

const iso = z.string().datetime({ offset: true });
const body = z.object({ from: iso, to: iso }).strict();

/** `{from, to}` as the API and CLI take it: ISO 8601 times, from before to. */
export function parseBacktestPeriod(input: unknown): { from: Date; to: Date } {
  const r = body.safeParse(input ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  const from = new Date(r.data.from);
  const to = new Date(r.data.to);
  if (from.getTime() >= to.getTime()) throw validationError([{ field: 'to', message: 'must be after from' }]);
  return { from, to };
}

function stepMsOf(rule: Rule): { ms: number; text: string } {
  const t = rule.trigger;
  if (t.type === 'event' || t.type === 'threshold' || t.type === 'change') return { ms: windowMsOf(t.window), text: t.window };
  return { ms: QR_REGION_WINDOW_MS, text: '1h' };
}

/** Replays [from, to) through the rule; see the file comment. */
export async function backtestRule(storage: Storage, rule: Rule, period: { from: Date; to: Date }): Promise<BacktestResult> {
  const make = REPLAYABLE[rule.trigger.type];
  if (!make) {
    throw validationError([{ field: 'trigger.type', message: `a ${rule.trigger.type} rule cannot be backtested: only event, threshold, change and qr_region rules read the click log` }]);
  }
  const evaluator = make();
  const step = stepMsOf(rule);
  const first = period.from.getTime() + step.ms;
  const steps = first > period.to.getTime() ? 0 : Math.floor((period.to.getTime() - first) / step.ms) + 1;
  if (steps > MAX_BACKTEST_STEPS) {
    throw validationError([{ field: 'to', message: `the period spans ${steps} windows of ${step.text}; at most ${MAX_BACKTEST_STEPS} per backtest, so shorten it or split it` }]);
  }
  const links = await resolveScope(storage, rule.workspaceId, rule.scope);
  const clock = new ManualClock(first);
  const firings: BacktestFiring[] = [];
  let truncated = false;
  for (let i = 0; i < steps && !truncated; i++) {
    const now = new Date(first + i * step.ms);
    clock.set(now);
    const observations = await evaluator.evaluate({ rule, now, links, storage, clock });
    for (const o of observations) {
      if (!o.firing) continue;
      if (firings.length === MAX_BACKTEST_FIRINGS) {
        truncated = true;
        break;
      }
      firings.push({ at: now.toISOString(), link_id: o.linkId, subject: o.subject, value: o.value, threshold: o.threshold, summary: o.summary });
    }
  }
  return { rule_id: rule.id, from: period.from.toISOString(), to: period.to.toISOString(), window: step.text, steps, firings, truncated };
}

/** The use case behind the API and CLI: the workspace's rule by id, then backtestRule. */
export async function backtestRuleById(storage: Storage, workspaceId: string, ruleId: string, input: unknown): Promise<BacktestResult> {
  const period = parseBacktestPeriod(input);
  const rule = await storage.rules.getById(workspaceId, ruleId);
  if (!rule) throw notFound('Rule', ruleId);
  return backtestRule(storage, rule, period);
}

