import type { DeliverySignal } from '../delivery/delivery-signal.ts';
import type { HttpClient } from '../delivery/destination.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import { linkPayload } from '../events/event-payloads.ts';
import { newEvent } from '../events/new-event.ts';
import type { Storage } from '../ports.ts';
import { checkDestination } from './check-destination.ts';
import type { Link } from './link.ts';
import type { HealthCheck, LinkHealthState } from './link-monitor.ts';
import { destinationOf, effectiveState, isExpired } from './resolve-destination.ts';

// The destination health monitor's state machine, per link:
//
//   healthy --fail--> suspect --fail--> failing (link.redirect_failed)
//      ^                 |                 |
//      +------ok---------+                 +--ok--> healthy (link.redirect_recovered)
//
// One failure is only a suspicion, re-checked after `confirmAfterMs` (1 min by
// default) instead of at the next interval: a deploy, a blip or a one-off 502
// is not an outage, and a real outage is confirmed a minute later, not 30.
// Events commit in the transaction that records the transition, so a worker
// crash can neither lose one nor send one twice.

export interface HealthMonitorDeps {
  storage: Storage;
  http: HttpClient;
  baseUrl: string;
  customDomainScheme: string;
  signal?: DeliverySignal;
  /** Between checks of a healthy (or failing) link; default 30 min. */
  intervalMs: number;
  /** Same, for links of priority high or critical; default 5 min. */
  priorityIntervalMs: number;
  /** From a first failure to the check that confirms it; default 1 min. */
  confirmAfterMs: number;
  /** Per request of a check. */
  timeoutMs: number;
  /** Checks in flight at once, per evaluation. */
  concurrency: number;
  /** Most checks per evaluation: the rest are due and taken next time. */
  maxChecksPerRun: number;
}

export interface HealthCheckSettings {
  maxHops?: number;
  expectedDomains?: readonly string[];
}

/** Live links only: an expired or switched-off link sends nobody to its destination. */
export function isActiveLink(link: Link, now: Date): boolean {
  return !isExpired(link, now) && !effectiveState(link, now).disabled;
}

export function checkIntervalMs(link: Link, deps: Pick<HealthMonitorDeps, 'intervalMs' | 'priorityIntervalMs'>): number {
  return link.priority === 'high' || link.priority === 'critical' ? deps.priorityIntervalMs : deps.intervalMs;
}

function checkPayload(c: HealthCheck) {
  return { url: c.url, checked_at: c.checkedAt, status: c.status, error_class: c.errorClass, error: c.error, duration_ms: c.durationMs };
}

/** The next state after `check`, and the event the transition emits (if any). */
export function nextHealthState(
  prev: LinkHealthState,
  check: HealthCheck,
  link: Link,
  now: Date,
  deps: Pick<HealthMonitorDeps, 'intervalMs' | 'priorityIntervalMs' | 'confirmAfterMs' | 'baseUrl' | 'customDomainScheme'>,
): { state: LinkHealthState; event: EventEnvelope | null } {
  const at = now.toISOString();
  const regular = new Date(now.getTime() + checkIntervalMs(link, deps)).toISOString();
  const payload = () => linkPayload(link, now, deps.baseUrl, deps.customDomainScheme);
  if (check.errorClass === null) {
    const state: LinkHealthState = { ...prev, status: 'healthy', consecutiveFailures: 0, failingSince: null, lastCheck: check, nextCheckAt: regular, updatedAt: at };
    if (prev.status !== 'failing' || prev.failingSince === null) return { state, event: null };
    const downtime = Math.max(0, Math.round((now.getTime() - Date.parse(prev.failingSince)) / 1000));
    const data = { link: payload(), check: checkPayload(check), failing_since: prev.failingSince, downtime_seconds: downtime };
    return { state, event: newEvent('link.redirect_recovered', link.workspaceId, data, now) };
  }
  const consecutive = prev.consecutiveFailures + 1;
  const failingSince = prev.failingSince ?? at;
  if (prev.status === 'healthy') {
    const confirm = new Date(now.getTime() + deps.confirmAfterMs).toISOString();
    return { state: { ...prev, status: 'suspect', consecutiveFailures: consecutive, failingSince, lastCheck: check, nextCheckAt: confirm, updatedAt: at }, event: null };
  }
  const state: LinkHealthState = { ...prev, status: 'failing', consecutiveFailures: consecutive, failingSince, lastCheck: check, nextCheckAt: regular, updatedAt: at };
  if (prev.status === 'failing') return { state, event: null };
  const data = { link: payload(), check: checkPayload(check), consecutive_failures: consecutive, failing_since: failingSince };
  return { state, event: newEvent('link.redirect_failed', link.workspaceId, data, now) };
}

/**
 * A lease long enough for the slowest check (every hop timing out, HEAD and
 * GET), so a second worker does not re-check a link still being checked.
 */
function leaseMs(deps: HealthMonitorDeps, maxHops: number): number {
  return deps.timeoutMs * 2 * (maxHops + 1) + 60_000;
}

/** Checks one claimed link and records the outcome (and its event) in one transaction. */
async function checkAndRecord(deps: HealthMonitorDeps, link: Link, now: Date, settings: HealthCheckSettings): Promise<boolean> {
  const check = await checkDestination(destinationOf(link, now), { http: deps.http, timeoutMs: deps.timeoutMs, now, maxHops: settings.maxHops, expectedDomains: settings.expectedDomains });
  return deps.storage.transaction(async (tx) => {
    const [prev] = await tx.linkMonitor.listHealth([link.id]);
    if (!prev) return false; // the link was deleted meanwhile (cascade)
    const { state, event } = nextHealthState(prev, check, link, now, deps);
    await tx.linkMonitor.saveHealth(state);
    if (event) await emitEvent(tx, event);
    return event !== null;
  });
}

/**
 * Checks the given links that are due at `now` (claiming each, so several
 * workers share the work), and returns every link's state afterwards.
 */
export async function runHealthChecks(deps: HealthMonitorDeps, links: readonly Link[], now: Date, settings: HealthCheckSettings): Promise<Map<string, LinkHealthState>> {
  const active = links.filter((l) => isActiveLink(l, now));
  const before = new Map((await deps.storage.linkMonitor.listHealth(active.map((l) => l.id))).map((s) => [s.linkId, s]));
  const due = active.filter((l) => {
    const s = before.get(l.id);
    return s === undefined || Date.parse(s.nextCheckAt) <= now.getTime();
  });
  const queue = due.slice(0, deps.maxChecksPerRun);
  const leaseUntil = new Date(now.getTime() + leaseMs(deps, settings.maxHops ?? 5)).toISOString();
  let emitted = false;
  const work = async (): Promise<void> => {
    for (let link = queue.shift(); link; link = queue.shift()) {
      if (!(await deps.storage.linkMonitor.claimHealthCheck(link, now.toISOString(), leaseUntil))) continue;
      if (await checkAndRecord(deps, link, now, settings)) emitted = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency) }, work));
  if (emitted) deps.signal?.notify();
  const after = await deps.storage.linkMonitor.listHealth(active.map((l) => l.id));
  return new Map(after.map((s) => [s.linkId, s]));
}
