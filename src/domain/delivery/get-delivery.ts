import { notFound } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Delivery, DeliveryAttempt } from './ports.ts';

export interface DeliveryWithAttempts {
  delivery: Delivery;
  /** Oldest first. */
  attempts: DeliveryAttempt[];
}

export async function getDelivery(deps: Pick<DeliveryDeps, 'storage'>, workspaceId: string, id: string): Promise<DeliveryWithAttempts> {
  const delivery = await deps.storage.deliveries.getById(workspaceId, id);
  if (!delivery) throw notFound('Delivery', id);
  return { delivery, attempts: await deps.storage.deliveries.listAttempts(id) };
}
