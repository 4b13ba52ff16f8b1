import type { Page, PageRequest } from '../ports.ts';
import { notFound } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';

export async function getEndpoint(deps: Pick<DeliveryDeps, 'storage'>, workspaceId: string, id: string): Promise<Endpoint> {
  const endpoint = await deps.storage.endpoints.getById(workspaceId, id);
  if (!endpoint) throw notFound('Endpoint', id);
  return endpoint;
}

/** Newest first. */
export async function listEndpoints(deps: Pick<DeliveryDeps, 'storage'>, workspaceId: string, page: PageRequest): Promise<Page<Endpoint>> {
  return deps.storage.endpoints.list(workspaceId, page);
}
