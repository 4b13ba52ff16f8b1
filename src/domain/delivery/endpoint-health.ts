import { emitEvent } from '../events/emit-event.ts';
import type { Repos } from '../ports.ts';
import { REPLAY_RATE_PER_SECOND } from './delivery-deps.ts';
import type { SendResult } from './destination.ts';
import type { Endpoint } from './endpoint.ts';
import type { EngineDeps } from './engine-deps.ts';
import { endpointDisabledEvent, endpointRecoveredEvent } from './endpoint-events.ts';
import { replayPaceMs } from './rate-limit.ts';

// Endpoint state driven by delivery results: disable on 410 or a long failing
// streak, resume when a probe gets through. Each change is guarded in SQL
// (enabled = true / disabled_reason = 'failing'), so when several workers see
// the same thing at once exactly one of them changes the endpoint and emits
// the event.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Gap between probes of a disabled endpoint: half the time it has been
 * disabled, between 1 minute and 1 hour. Probes come at about 1, 2, 3, 4.5,
 * 7 ... minutes, then hourly: a short outage is noticed within minutes, and a
 * dead receiver costs 24 requests a day.
 */
export function probeGapMs(disabledAt: string | null, now: Date): number {
  const since = disabledAt === null ? 0 : now.getTime() - Date.parse(disabledAt);
  return Math.min(HOUR, Math.max(MINUTE, Math.floor(since / 2)));
}

/** Inside a transaction: disables the endpoint and, if this call did, acts on it. True when it did. */
export async function disableEndpoint(tx: Repos, endpoint: Endpoint, reason: 'gone' | 'failing', now: Date, last: SendResult | null): Promise<boolean> {
  const at = now.toISOString();
  const firstProbe = reason === 'failing' ? new Date(now.getTime() + probeGapMs(at, now)).toISOString() : null;
  if (!(await tx.endpoints.disable(endpoint.id, reason, at, firstProbe))) return false;
  // A failing endpoint keeps its queue (held, replayed on recovery); a gone one has no one to deliver to.
  if (reason === 'failing') await tx.deliveries.holdPending(endpoint.id, at);
  else await tx.deliveries.skipPending(endpoint.id, at);
  await emitEvent(tx, endpointDisabledEvent({ ...endpoint, enabled: false, disabledReason: reason, disabledAt: at }, reason, now, last));
  return true;
}

/**
 * Inside a transaction: resumes an endpoint disabled for failing, requeues
 * what it missed - held deliveries and deliveries given up since its failing
 * streak began - paced by its rate limit, and emits endpoint.recovered.
 * Returns how many deliveries were requeued, or null if another worker
 * resumed it first.
 */
export async function recoverEndpoint(tx: Repos, deps: Pick<EngineDeps, 'replayRatePerSecond'>, endpoint: Endpoint, now: Date): Promise<number | null> {
  const at = now.toISOString();
  if (!(await tx.endpoints.enableIf(endpoint.id, 'failing', at))) return null;
  const pace = replayPaceMs(endpoint, deps.replayRatePerSecond ?? REPLAY_RATE_PER_SECOND);
  const held = await tx.deliveries.requeue({ workspaceId: endpoint.workspaceId, endpointId: endpoint.id, statuses: ['held'] }, at, pace);
  let missed = 0;
  if (endpoint.failingSince !== null) {
    // Start the given-up ones after the held ones, so the pacing holds across both.
    const after = new Date(now.getTime() + held * pace).toISOString();
    const sel = { workspaceId: endpoint.workspaceId, endpointId: endpoint.id, statuses: ['failed' as const], since: endpoint.failingSince };
    missed = await tx.deliveries.requeue(sel, after, pace);
  }
  await emitEvent(tx, endpointRecoveredEvent(endpoint, now, held + missed));
  return held + missed;
}
