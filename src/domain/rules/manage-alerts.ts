import { z } from 'zod';
import { zodProblems } from '../links/link-input.ts';
import type { Page } from '../ports.ts';
import type { AppError } from '../shared/errors.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { DURATION_HINT, MAX_DURATION_MS, parseDuration } from './duration.ts';
import type { RuleDeps } from './manage-rules.ts';
import type { AlertFilter } from './ports.ts';
import type { Alert } from './rule.ts';

// Alert use cases: list, read, acknowledge, snooze. Acknowledging says "I am
// on it": it stops the escalation for good. Snoozing says "not now": no
// message about the alert (reminder, escalation, resolution) until `until`.

export interface AlertQuery extends AlertFilter {
  cursor?: string;
  limit: number;
}

export function listAlerts(deps: RuleDeps, workspaceId: string, q: AlertQuery): Promise<Page<Alert>> {
  const { cursor, limit, ...filter } = q;
  return deps.storage.alerts.list(workspaceId, filter, cursor === undefined ? { limit } : { cursor, limit });
}

export async function getAlert(deps: RuleDeps, workspaceId: string, id: string): Promise<Alert> {
  const alert = await deps.storage.alerts.getById(workspaceId, id);
  if (!alert) throw notFound('Alert', id);
  return alert;
}

/** Idempotent: the first acknowledgement (time and who) is kept. */
export async function acknowledgeAlert(deps: RuleDeps, workspaceId: string, id: string, by: string): Promise<Alert> {
  const alert = await getAlert(deps, workspaceId, id);
  if (alert.acknowledgedAt !== null) return alert;
  const at = deps.clock.now().toISOString();
  const next = { ...alert, acknowledgedAt: at, acknowledgedBy: by, updatedAt: at };
  await deps.storage.alerts.update(next);
  return next;
}

const snoozeSchema = z.union([
  z.object({ until: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-03-01T09:00:00Z' }) }).strict(),
  z.object({ for: z.string().max(20).refine((v) => parseDuration(v) !== undefined, DURATION_HINT) }).strict(),
]);

function snoozeProblem(message: string): AppError {
  return validationError([{ field: '(body)', message }]);
}

/** `{"until": ISO}` or `{"for": "2h"}`; `{"until": <now or earlier>}` ends a snooze. */
export async function snoozeAlert(deps: RuleDeps, workspaceId: string, id: string, body: unknown): Promise<Alert> {
  const r = snoozeSchema.safeParse(body ?? {});
  if (!r.success) {
    const keys = body !== null && typeof body === 'object' ? Object.keys(body) : [];
    if (keys.length !== 1) throw snoozeProblem('must be {"until": "<ISO date-time>"} or {"for": "<duration, e.g. 2h>"}');
    throw validationError(zodProblems(r.error).filter((p) => p.field === keys[0]));
  }
  const now = deps.clock.now();
  const until = 'until' in r.data ? new Date(r.data.until).getTime() : now.getTime() + (parseDuration(r.data.for) as number);
  if (until - now.getTime() > MAX_DURATION_MS) throw snoozeProblem('a snooze lasts at most 90 days');
  const alert = await getAlert(deps, workspaceId, id);
  const at = now.toISOString();
  const next = { ...alert, snoozedUntil: until > now.getTime() ? new Date(until).toISOString() : null, updatedAt: at };
  await deps.storage.alerts.update(next);
  return next;
}
