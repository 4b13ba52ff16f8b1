import type { Endpoint } from './endpoint.ts';
import type { EngineDeps } from './engine-deps.ts';
import { probeGapMs, recoverEndpoint } from './endpoint-health.ts';
import { judgeAttempt } from './retry-schedule.ts';
import { sendAttempt } from './send-attempt.ts';

// The prober: an endpoint disabled because it kept failing is retried on a
// schedule (probeGapMs) with a REAL delivery - its oldest held one - so a
// probe is never a synthetic request the receiver must special-case, and a
// probe that gets through has delivered something. On a 2xx the endpoint is
// resumed, endpoint.recovered is emitted and the missed deliveries are
// replayed, paced. With nothing held there is nothing to probe with; the
// next event for the endpoint is held and probes it.

/** Endpoints probed per call: bounded, so one prober pass never runs long. */
const PROBES_PER_PASS = 10;

export interface ProbeReport {
  endpointId: string;
  result: 'recovered' | 'still_failing' | 'nothing_held' | 'lost_race';
}

async function probeOne(deps: EngineDeps, owner: string, endpoint: Endpoint): Promise<ProbeReport['result']> {
  const { storage, clock } = deps;
  const now = clock.now();
  const nextProbe = (): string => new Date(clock.now().getTime() + probeGapMs(endpoint.disabledAt, clock.now())).toISOString();
  const [oldest] = await storage.deliveries.listHeld(endpoint.id, 1);
  if (!oldest) {
    await storage.endpoints.scheduleProbe(endpoint.id, nextProbe());
    return 'nothing_held';
  }
  const delivery = await storage.deliveries.claimById(oldest.id, ['held'], { owner, now: now.toISOString(), leaseMs: deps.leaseMs });
  const event = delivery && (await storage.events.getById(endpoint.workspaceId, delivery.eventId));
  if (!delivery || !event) {
    await storage.endpoints.scheduleProbe(endpoint.id, nextProbe());
    return 'lost_race';
  }

  const { result, log } = await sendAttempt(storage, clock, deps.destinations.get(endpoint.kind), delivery, event, endpoint);
  const at = clock.now();
  const base = { id: delivery.id, owner, attempt: delivery.attempts, now: at.toISOString(), log };
  const last = { lastStatus: result.response?.status ?? null, lastError: result.error, lastErrorClass: result.errorClass };
  if (judgeAttempt(result, 1, () => 0.5).kind !== 'succeeded') {
    // Back to held: it goes out with the others once the endpoint is back.
    await storage.deliveries.finish({ ...base, status: 'held', nextAttemptAt: null, ...last });
    await storage.endpoints.scheduleProbe(endpoint.id, nextProbe());
    return 'still_failing';
  }
  const replaying = await storage.transaction(async (tx) => {
    await tx.deliveries.finish({ ...base, status: 'succeeded', nextAttemptAt: null, ...last });
    return recoverEndpoint(tx, deps, endpoint, at);
  });
  deps.signal?.notify();
  return replaying === null ? 'lost_race' : 'recovered';
}

/** One prober pass: probes every disabled-for-failing endpoint whose probe is due. */
export async function probeEndpoints(deps: EngineDeps, owner: string): Promise<ProbeReport[]> {
  const now = deps.clock.now();
  // The claim moves the next probe one lease ahead: if this process dies mid-probe, another probes after the lease.
  const leaseUntil = new Date(now.getTime() + deps.leaseMs).toISOString();
  const due = await deps.storage.endpoints.claimProbes(now.toISOString(), leaseUntil, PROBES_PER_PASS);
  const reports: ProbeReport[] = [];
  for (const endpoint of due) reports.push({ endpointId: endpoint.id, result: await probeOne(deps, owner, endpoint) });
  return reports;
}
