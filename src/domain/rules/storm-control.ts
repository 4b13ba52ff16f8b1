import type { Repos } from '../ports.ts';
import { STORM_GROUP_ABOVE } from './alert-messages.ts';
import type { Alert, AlertStatus, AlertStorm, Rule } from './rule.ts';

// Storm control, per rule and per kind of message (triggered / resolved), per
// WINDOW — not per evaluation. A site migration that breaks 500 links is
// seen by the health monitor over several evaluations (it checks 200 links a
// run, priority links first), so grouping only within one evaluation would
// still send a grouped message every minute. Within one storm window:
//
//   1. the first STORM_GROUP_ABOVE (10) alerts go one by one;
//   2. the batch that would pass 10 goes as ONE grouped message, at once
//      (no waiting: the first news of an incident is the urgent part);
//   3. every later alert of the window is HELD, and the held ones go as one
//      grouped message (however few) when the window has ended, at the
//      rule's first evaluation after it, with whatever that evaluation
//      adds. That message opens the next window, which therefore holds
//      too: a storm that goes on sends one grouped message per window,
//      naming the count and the worst cases, until a window passes quiet.
//
// Held alerts that cleared (or were snoozed) before the window's end are
// dropped from the grouped message: like an alert opened silently inside its
// cooldown, nobody was told it tripped, so nobody is told it recovered.
//
// The state (window, count, grouped-or-not, held ids) is a row of
// alert_storms written in the lifecycle's transaction, together with the
// alerts and their events: a restart neither loses a held alert nor sends a
// second grouped message for one window. Every endpoint of the rule gets the
// same messages, so this is one grouped message per endpoint per window.

/**
 * 15 minutes, or the rule's cooldown when shorter (a rule with cooldown 0
 * groups per evaluation only). Fifteen minutes is how late a held alert may
 * reach someone: half the 30 minutes a typical response time allows, and at
 * the default 60 s evaluation interval a storm of any length costs at most
 * 4 grouped messages an hour.
 */
export const STORM_WINDOW_MS = 15 * 60_000;

export function stormWindowMs(rule: Pick<Rule, 'cooldownMs'>): number {
  return Math.min(rule.cooldownMs, STORM_WINDOW_MS);
}

export interface StormGroup {
  alerts: Alert[];
  /** Alerts messaged in the window so far, this group included. */
  windowTotal: number;
  /** How many of `alerts` were held from the previous window (0: all tripped in this evaluation). */
  released: number;
}

export interface StormPlan {
  /** Message one by one. */
  single: Alert[];
  /** Message as one grouped message (at most one per call). */
  group: StormGroup | null;
  /** Held for the window's grouped message: not messaged now. */
  held: Alert[];
  /** Alerts released from the previous window: their rows need lastNotifiedAt written. */
  released: Alert[];
}

const byId = (x: Alert, y: Alert): number => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** A held alert still worth its message at the window's end. */
function stillDue(a: Alert, kind: AlertStatus, nowMs: number): boolean {
  if (a.status !== kind) return false;
  return a.snoozedUntil === null || Date.parse(a.snoozedUntil) <= nowMs;
}

/**
 * Decides how this evaluation's alerts of one kind (all `kind`) are messaged,
 * and writes the rule's storm state for that kind. Call inside the
 * lifecycle's transaction.
 */
export async function planStormMessages(tx: Pick<Repos, 'alerts'>, rule: Rule, kind: AlertStatus, batch: readonly Alert[], now: Date): Promise<StormPlan> {
  const nowMs = now.getTime();
  const at = now.toISOString();
  const stored = await tx.alerts.getStorm(rule.id, kind);
  const active = stored !== undefined && Date.parse(stored.windowEnd) > nowMs ? stored : undefined;
  const batchIds = new Set(batch.map((a) => a.id));

  // The ended window's held alerts. Those still firing are usually in `batch`
  // too (never notified, so "cooled down"); the others are read back.
  let released: Alert[] = [];
  let heldBefore = 0;
  if (stored !== undefined && active === undefined && stored.pending.length > 0) {
    const rows = await tx.alerts.getMany(rule.workspaceId, stored.pending.filter((id) => !batchIds.has(id)));
    released = rows.filter((a) => stillDue(a, kind, nowMs)).sort(byId);
    const held = new Set(stored.pending);
    heldBefore = released.length + batch.filter((a) => held.has(a.id)).length;
  }
  // An alert already held in this window is not held (or sent) twice: an
  // unsent open alert comes back as "cooled down" at every evaluation.
  const pendingIds = new Set(active?.pending ?? []);
  const items = [...released, ...batch.filter((a) => !pendingIds.has(a.id))];

  if (items.length === 0) {
    if (stored !== undefined && active === undefined && stored.pending.length > 0) await tx.alerts.saveStorm({ ...stored, pending: [] });
    return { single: [], group: null, held: [], released: [] };
  }

  const storm: AlertStorm = active
    ? { ...active, pending: [...active.pending] }
    : { ruleId: rule.id, workspaceId: rule.workspaceId, kind, windowStart: at, windowEnd: new Date(nowMs + stormWindowMs(rule)).toISOString(), notified: 0, groupedAt: null, pending: [] };
  let plan: StormPlan;
  if (storm.groupedAt !== null) {
    storm.pending.push(...items.map((a) => a.id));
    plan = { single: [], group: null, held: items, released };
  } else if ((heldBefore > 0 && items.length > 1) || storm.notified + items.length > STORM_GROUP_ABOVE) {
    // Held alerts were part of a storm: they go grouped even when few, and
    // the window this opens has had its grouped message.

    storm.notified += items.length;
    storm.groupedAt = at;
    plan = { single: [], group: { alerts: items, windowTotal: storm.notified, released: heldBefore }, held: [], released };
  } else {
    storm.notified += items.length;
    plan = { single: items, group: null, held: [], released };
  }
  await tx.alerts.saveStorm(storm);
  return plan;
}
