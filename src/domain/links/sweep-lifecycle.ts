import type { DeliverySignal } from '../delivery/delivery-signal.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import { linkPayload } from '../events/event-payloads.ts';
import { newEvent } from '../events/new-event.ts';
import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { Link, ScheduledChange } from './link.ts';
import { destinationOf } from './resolve-destination.ts';

// The lifecycle notices: link.expiring at each lead time, link.expired, and
// link.scheduled_change_applied. The redirect already applies expiry and
// scheduled changes at read time (resolve-destination.ts); this sweep only
// TELLS people, after the fact or ahead of it.
//
// Exactly once, with any number of workers and restarts: each notice has a
// key per link (e.g. `expiring:7d:<expires_at>`), recorded in link_notices in
// the transaction that emits the event. A second worker's insert of the same
// key does nothing, and so does its emission. The expiry time is part of the
// key, so moving expires_at later arms the notices again for the new date.

export interface LifecycleSweepDeps {
  storage: Storage;
  clock: Clock;
  baseUrl: string;
  customDomainScheme: string;
  signal?: DeliverySignal;
  /** Before expires_at, longest first or not; default 7 days and 1 day. */
  leadTimesMs: readonly number[];
  /**
   * How late a notice may still be sent: after a week of the worker being
   * down, "this link expired" is still news; a link that expired a year
   * before the first sweep ran is not.
   */
  lookbackMs: number;
  /** Links read per page. */
  batchSize: number;
}

export const DEFAULT_LEAD_TIMES_MS: readonly number[] = [7 * 86_400_000, 86_400_000];

export interface SweepResult {
  expiring: number;
  expired: number;
  scheduled: number;
}

/** "7d", "36h", "90m": the lead time in the notice key, readable in the table. */
function leadLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${Math.round(ms / 60_000)}m`;
}

/** Records every key in `keys` for the link, then emits `event` if at least one was new — all in one transaction. */
async function notifyOnce(storage: Storage, link: Link, keys: readonly string[], at: string, event: () => EventEnvelope): Promise<boolean> {
  return storage.transaction(async (tx) => {
    let fresh = false;
    for (const key of keys) if (await tx.linkMonitor.recordNotice(link, key, at)) fresh = true;
    if (fresh) await emitEvent(tx, event());
    return fresh;
  });
}

async function sweepExpiry(deps: LifecycleSweepDeps, now: Date, result: SweepResult): Promise<void> {
  const nowMs = now.getTime();
  const at = now.toISOString();
  const maxLead = Math.max(0, ...deps.leadTimesMs);
  const from = new Date(nowMs - deps.lookbackMs).toISOString();
  const to = new Date(nowMs + maxLead).toISOString();
  const payload = (link: Link) => linkPayload(link, now, deps.baseUrl, deps.customDomainScheme);
  for (let afterId: string | undefined; ; ) {
    const links = await deps.storage.linkMonitor.listExpiringBetween(from, to, { afterId, limit: deps.batchSize });
    for (const link of links) {
      const expiresAt = link.expiresAt as string;
      const expiresMs = Date.parse(expiresAt);
      // A link created already past its expiry never went live: nothing to announce.
      if (expiresMs <= Date.parse(link.createdAt)) continue;
      if (expiresMs <= nowMs) {
        const data = { link: payload(link), expired_at: expiresAt, expired_url: link.expiredUrl };
        if (await notifyOnce(deps.storage, link, [`expired:${expiresAt}`], at, () => newEvent('link.expired', link.workspaceId, data, now))) result.expired += 1;
        continue;
      }
      // Every lead time already reached gets its key; one event says how long is left.
      // (A link first seen 12 h before expiry gets one notice, not a 7-day and a 1-day one.)
      const due = deps.leadTimesMs.filter((lead) => expiresMs - nowMs <= lead);
      if (due.length === 0) continue;
      const keys = due.map((lead) => `expiring:${leadLabel(lead)}:${expiresAt}`);
      const data = { link: payload(link), expires_at: expiresAt, expires_in_seconds: Math.floor((expiresMs - nowMs) / 1000) };
      if (await notifyOnce(deps.storage, link, keys, at, () => newEvent('link.expiring', link.workspaceId, data, now))) result.expiring += 1;
    }
    if (links.length < deps.batchSize) return;
    afterId = links[links.length - 1]?.id;
  }
}

function changeKey(c: ScheduledChange): string {
  return `scheduled:${c.at}:${'url' in c ? c.url : 'disable'}`;
}

async function sweepScheduled(deps: LifecycleSweepDeps, now: Date, result: SweepResult): Promise<void> {
  const nowMs = now.getTime();
  const at = now.toISOString();
  for (let afterId: string | undefined; ; ) {
    const links = await deps.storage.linkMonitor.listWithScheduledChanges({ afterId, limit: deps.batchSize });
    for (const link of links) {
      for (const change of link.scheduledChanges) {
        const changeMs = Date.parse(change.at);
        // Not yet due, too old to announce, or already in effect when the link was created.
        if (changeMs > nowMs || changeMs < nowMs - deps.lookbackMs || changeMs <= Date.parse(link.createdAt)) continue;
        const data = {
          link: linkPayload(link, now, deps.baseUrl, deps.customDomainScheme),
          scheduled_at: change.at,
          action: 'url' in change ? ('change_url' as const) : ('disable' as const),
          old_url: destinationOf(link, new Date(changeMs - 1)),
          new_url: 'url' in change ? destinationOf(link, new Date(changeMs)) : null,
        };
        const event = () => newEvent('link.scheduled_change_applied', link.workspaceId, data, now);
        if (await notifyOnce(deps.storage, link, [changeKey(change)], at, event)) result.scheduled += 1;
      }
    }
    if (links.length < deps.batchSize) return;
    afterId = links[links.length - 1]?.id;
  }
}

/** One pass over every workspace's links; safe to run from several workers at once. */
export async function sweepLifecycle(deps: LifecycleSweepDeps): Promise<SweepResult> {
  const now = deps.clock.now();
  const result: SweepResult = { expiring: 0, expired: 0, scheduled: 0 };
  await sweepExpiry(deps, now, result);
  await sweepScheduled(deps, now, result);
  if (result.expiring + result.expired + result.scheduled > 0) deps.signal?.notify();
  return result;
}
