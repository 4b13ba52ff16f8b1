import { notFound } from '../shared/errors.ts';
import { checkEndpoint } from './check-endpoint.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import { REPLAY_RATE_PER_SECOND } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';
import { parseUpdateEndpoint } from './endpoint-input.ts';
import { replayPaceMs } from './rate-limit.ts';

type Deps = Pick<DeliveryDeps, 'storage' | 'clock' | 'destinations' | 'checkOutboundUrl' | 'signal' | 'replayRatePerSecond'>;

/**
 * Changes an endpoint (PATCH semantics: absent fields stay). `enabled: false`
 * disables it by hand: its waiting deliveries are skipped, and new events no
 * longer make deliveries. `enabled: true` on a disabled endpoint resumes it
 * and requeues its held deliveries, paced by its rate limit.
 */
export async function updateEndpoint(deps: Deps, workspaceId: string, id: string, body: unknown): Promise<Endpoint> {
  const input = parseUpdateEndpoint(body);
  const now = deps.clock.now();
  const at = now.toISOString();
  const current = await deps.storage.endpoints.getById(workspaceId, id);
  if (!current) throw notFound('Endpoint', id);

  const merged: Endpoint = {
    ...current,
    name: input.name !== undefined ? input.name : current.name,
    url: input.url !== undefined ? input.url : current.url,
    settings: input.settings ?? current.settings,
    events: input.events ? [...new Set(input.events)] : current.events,
    filter: input.filter ?? current.filter,
    class: input.class ?? current.class,
    owner: input.owner !== undefined ? input.owner : current.owner,
    rateLimitPerSecond: input.rate_limit_per_second !== undefined ? input.rate_limit_per_second : current.rateLimitPerSecond,
    updatedAt: at,
  };
  const disabling = input.enabled === false && current.enabled;
  const enabling = input.enabled === true && !current.enabled;
  if (disabling) Object.assign(merged, { enabled: false, disabledReason: 'manual', disabledAt: at });
  if (enabling) Object.assign(merged, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });

  const endpoint = await checkEndpoint(deps, merged);
  const requeued = await deps.storage.transaction(async (tx) => {
    await tx.endpoints.update(endpoint);
    if (disabling) await tx.deliveries.skipPending(id, at);
    if (!enabling) return 0;
    const pace = replayPaceMs(endpoint, deps.replayRatePerSecond ?? REPLAY_RATE_PER_SECOND);
    return tx.deliveries.requeue({ workspaceId, endpointId: id, statuses: ['held'] }, at, pace);
  });
  if (requeued > 0) deps.signal?.notify();
  await deps.storage.invalidate({ kind: 'endpoints', workspaceId });
  return endpoint;
}
