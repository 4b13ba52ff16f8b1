import { notFound } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';

/**
 * Deletes an endpoint with its deliveries and their attempt log. A worker in
 * the middle of sending one finishes its request, then finds nothing to
 * update (finish() matches no row) and moves on.
 */
export async function deleteEndpoint(deps: Pick<DeliveryDeps, 'storage'>, workspaceId: string, id: string): Promise<void> {
  const deleted = await deps.storage.transaction((tx) => tx.endpoints.delete(workspaceId, id));
  if (!deleted) throw notFound('Endpoint', id);
}
