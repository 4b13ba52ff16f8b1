import type { EventEnvelope } from '../events/envelope.ts';
import type { SendResult } from './destination.ts';
import type { Endpoint } from './endpoint.ts';
import type { AttemptReport, EngineDeps } from './engine-deps.ts';
import { disableEndpoint } from './endpoint-health.ts';
import type { Delivery, DeliveryOutcome } from './ports.ts';
import { rateLimitKey, slotIntervalMs } from './rate-limit.ts';
import { judgeAttempt } from './retry-schedule.ts';
import { sendAttempt } from './send-attempt.ts';

// One claimed delivery, start to finish: rate-limit slot, send, and record
// the outcome with its attempt log in a lease-checked finish().

type Outcome = AttemptReport['outcome'];

function lastOf(result: SendResult): Pick<DeliveryOutcome, 'lastStatus' | 'lastError' | 'lastErrorClass'> {
  return { lastStatus: result.response?.status ?? null, lastError: result.error, lastErrorClass: result.errorClass };
}

/**
 * Takes a rate-limit slot unless the delivery holds one that has started.
 * Returns the time to postpone to, or null to send now.
 */
async function waitForSlot(deps: EngineDeps, delivery: Delivery, endpoint: Endpoint, nowMs: number): Promise<number | null> {
  const interval = slotIntervalMs(endpoint);
  if (interval === null) return null;
  if (delivery.rateSlotAt !== null && Date.parse(delivery.rateSlotAt) <= nowMs) return null;
  const slot = await deps.storage.endpoints.reserveSlot(rateLimitKey(endpoint), nowMs, interval);
  return slot > nowMs ? slot : null;
}

/**
 * Processes one delivery this worker (`owner`) claimed. `event` and
 * `endpoint` are undefined when they no longer exist.
 */
export async function deliverClaimed(deps: EngineDeps, owner: string, delivery: Delivery, event: EventEnvelope | undefined, endpoint: Endpoint | undefined): Promise<Outcome> {
  const { storage, clock } = deps;
  const start = clock.now();
  const base = { id: delivery.id, owner, attempt: delivery.attempts };
  const report = (outcome: Outcome, result: SendResult | null = null): Outcome => {
    const lagMs = outcome === 'succeeded' && event ? clock.now().getTime() - Date.parse(event.timestamp) : null;
    deps.onAttempt?.({ kind: endpoint?.kind ?? 'http', outcome, durationMs: result?.durationMs ?? 0, errorClass: result?.errorClass ?? null, lagMs });
    return outcome;
  };
  const finishOutside = deps.finish ?? ((o: DeliveryOutcome) => storage.deliveries.finish(o));
  const finish = async (o: Omit<DeliveryOutcome, 'id' | 'owner' | 'attempt' | 'now'>, result: SendResult | null, outcome: Outcome): Promise<Outcome> => {
    const ok = await finishOutside({ ...base, now: clock.now().toISOString(), ...o });
    return report(ok ? outcome : 'stale', result);
  };
  const noSend = { attempted: false, nextAttemptAt: null, lastStatus: delivery.lastStatus, lastError: delivery.lastError, lastErrorClass: delivery.lastErrorClass };

  // The endpoint was deleted (its deliveries went with it) or the event is gone: nothing to send.
  if (!endpoint) return report('stale');
  if (!event) return finish({ status: 'failed', attempted: false, nextAttemptAt: null, lastStatus: null, lastError: 'event not found', lastErrorClass: 'internal' }, null, 'failed');
  if (!endpoint.enabled) {
    const status = endpoint.disabledReason === 'failing' ? 'held' : 'skipped';
    return finish({ status, ...noSend }, null, status);
  }

  const postponeTo = await waitForSlot(deps, delivery, endpoint, start.getTime());
  if (postponeTo !== null) {
    const ok = await storage.deliveries.postpone(delivery.id, owner, delivery.attempts, new Date(postponeTo).toISOString(), start.toISOString());
    return report(ok ? 'postponed' : 'stale');
  }

  const { result, log } = await sendAttempt(storage, clock, deps.destinations.get(endpoint.kind), delivery, event, endpoint);
  const now = clock.now();
  const verdict = judgeAttempt(result, delivery.attempts - delivery.retryBase, deps.random ?? Math.random);

  if (verdict.kind === 'succeeded') {
    const outcome = await finish({ status: 'succeeded', nextAttemptAt: null, ...lastOf(result), log }, result, 'succeeded');
    if (endpoint.failingSince !== null) await storage.endpoints.markHealthy(endpoint.id);
    return outcome;
  }

  if (verdict.kind === 'gone') {
    let outcome: Outcome = 'failed';
    const disabled = await storage.transaction(async (tx) => {
      const ok = await tx.deliveries.finish({ ...base, now: now.toISOString(), status: 'failed', nextAttemptAt: null, ...lastOf(result), log });
      if (!ok) outcome = 'stale';
      return disableEndpoint(tx, endpoint, 'gone', now, result);
    });
    if (disabled) deps.signal?.notify();
    return report(outcome, result);
  }

  // A failure: part of the endpoint's failing streak. Long enough, and the endpoint is disabled.
  const failingSince = (await storage.endpoints.markFailing(endpoint.id, now.toISOString())) ?? now.toISOString();
  const disabling = now.getTime() - Date.parse(failingSince) >= deps.disableAfterMs;
  const retry = verdict.kind === 'retry';
  const status = retry ? (disabling ? 'held' : 'retrying') : 'failed';
  const nextAttemptAt = retry && !disabling ? new Date(now.getTime() + verdict.delayMs).toISOString() : null;
  const outcomeRow = { status, nextAttemptAt, ...lastOf(result), log } as const;
  if (!disabling) return finish(outcomeRow, result, status);

  let outcome: Outcome = status;
  const disabled = await storage.transaction(async (tx) => {
    if (!(await tx.deliveries.finish({ ...base, now: now.toISOString(), ...outcomeRow }))) outcome = 'stale';
    return disableEndpoint(tx, { ...endpoint, failingSince }, 'failing', now, result);
  });
  if (disabled) deps.signal?.notify();
  return report(outcome, result);
}
