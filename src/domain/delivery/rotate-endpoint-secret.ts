import { notFound } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import { SECRET_OVERLAP_MS } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';
import { rotateSecrets } from './secrets.ts';

/**
 * New current `whsec_` secret; the previous one keeps signing (a second
 * `v1,` signature in `webhook-signature`) until the overlap ends, so a
 * receiver can deploy the new secret without rejecting a single delivery.
 * `overlapMs` 0 retires the old secret at once (a leaked secret).
 */
export async function rotateEndpointSecret(
  deps: Pick<DeliveryDeps, 'storage' | 'clock' | 'secretOverlapMs'>,
  workspaceId: string,
  id: string,
  opts: { overlapMs?: number } = {},
): Promise<Endpoint> {
  const now = deps.clock.now();
  const overlap = opts.overlapMs ?? deps.secretOverlapMs ?? SECRET_OVERLAP_MS;
  return deps.storage.transaction(async (tx) => {
    const endpoint = await tx.endpoints.getById(workspaceId, id);
    if (!endpoint) throw notFound('Endpoint', id);
    const rotated: Endpoint = { ...endpoint, secrets: rotateSecrets(endpoint.secrets, now, overlap), updatedAt: now.toISOString() };
    await tx.endpoints.update(rotated);
    return rotated;
  });
}
