import type { Trigger } from './rule.ts';

/** The metric and window an alert of this trigger reports (null for monitors that have none). */
export function triggerFigures(trigger: Trigger): { metric: string | null; window: string | null } {
  if (trigger.type === 'event' || trigger.type === 'threshold' || trigger.type === 'change') return { metric: trigger.metric, window: trigger.window };
  return { metric: null, window: null };
}
